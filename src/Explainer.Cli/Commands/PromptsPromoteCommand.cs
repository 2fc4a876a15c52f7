using System.CommandLine;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts promote NAME V</c>.</summary>
public sealed class PromptsPromoteCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Argument<string> _version = new("V") { Description = "The version to make active (hash prefix)." };

    public PromptsPromoteCommand()
        : base("promote", "Make a version the active one: the pipeline and the API use it from now on.")
    {
        Arguments.Add(_name);
        Arguments.Add(_version);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var library = context.Get<PromptLibrary>();
        var version = library.Promote(library.Find(parseResult.GetValue(_name)!, parseResult.GetValue(_version)!));
        context.Console.MarkupLine($"[green]{Markup.Escape(version.Name)} {Short(version.Hash)} is now active.[/]");
        return Task.FromResult(ExitCodes.Ok);
    }
}
