using System.CommandLine;
using System.Globalization;
using Explainer.Explaining;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts history NAME</c>: every move of the active label, as the /tune page shows it.</summary>
public sealed class PromptsHistoryCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();

    public PromptsHistoryCommand()
        : base("history", "Who made which version active, when (UTC) and why (promotions, roll backs, files changed on disk), oldest first.")
    {
        Arguments.Add(_name);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var history = context.Get<PromptSessions>().History(parseResult.GetValue(_name)!);

        // One line per move, never wrapped (greppable; a table would wrap the notes in an 80-column terminal).
        var output = context.Console.Profile.Out.Writer;
        foreach (var move in history)
        {
            var when = move.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            var from = move.FromHash is null ? "-" : Short(move.FromHash);
            output.WriteLine($"{when}  {move.Action,-8}  {from,-8} -> {Short(move.ToHash),-8}  by {move.By}{(move.Note is null ? "" : ": " + move.Note)}");
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}
