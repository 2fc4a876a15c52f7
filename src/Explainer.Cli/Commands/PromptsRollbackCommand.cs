using System.CommandLine;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts rollback NAME --note WHY [--by WHO]</c>.</summary>
public sealed class PromptsRollbackCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Option<string> _note = PromptsCommand.NoteOption();
    private readonly Option<string> _by = PromptsCommand.ByOption();

    public PromptsRollbackCommand()
        : base("rollback", "Make the version that was active before the last promotion active again; recorded in the history.")
    {
        Arguments.Add(_name);
        Options.Add(_note);
        Options.Add(_by);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var version = context.Get<PromptSessions>().Rollback(parseResult.GetValue(_name)!, parseResult.GetValue(_by)!, parseResult.GetValue(_note)!);
        context.Console.MarkupLine($"[green]{Markup.Escape(version.Name)} rolled back: {Short(version.Hash)} is active again.[/]");
        return Task.FromResult(ExitCodes.Ok);
    }
}
