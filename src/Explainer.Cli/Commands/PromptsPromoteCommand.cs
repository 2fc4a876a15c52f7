using System.CommandLine;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts promote NAME V --note WHY [--by WHO]</c>.</summary>
public sealed class PromptsPromoteCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Argument<string> _version = new("V") { Description = "The version to make active (hash prefix)." };
    private readonly Option<string> _note = PromptsCommand.NoteOption();
    private readonly Option<string> _by = PromptsCommand.ByOption();

    public PromptsPromoteCommand()
        : base("promote", "Make a version the active one (the pipeline and the API use it from now on); recorded in the history with who and why.")
    {
        Arguments.Add(_name);
        Arguments.Add(_version);
        Options.Add(_note);
        Options.Add(_by);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var version = context.Get<PromptSessions>().Promote(parseResult.GetValue(_name)!, parseResult.GetValue(_version)!, parseResult.GetValue(_by)!, parseResult.GetValue(_note)!);
        context.Console.MarkupLine($"[green]{Markup.Escape(version.Name)} {Short(version.Hash)} is now active.[/]");
        return Task.FromResult(ExitCodes.Ok);
    }
}
