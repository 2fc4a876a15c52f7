using System.CommandLine;
using System.Globalization;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts run NAME [--version V] --sample N [--seed S] [-k K]</c>.</summary>
public sealed class PromptsRunCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Option<string?> _version = new("--version") { Description = "The version to run (hash prefix); default: the active one.", HelpName = "V" };
    private readonly Option<int> _sample = new("--sample") { Description = "How many users (Explain) or items (DescribeItem): a fixed sample for a given seed.", DefaultValueFactory = _ => 20, HelpName = "N" };
    private readonly Option<int> _seed = new("--seed") { Description = "Seed of the sample.", DefaultValueFactory = _ => 42 };
    private readonly Option<int> _k = new("-k", "--k") { Description = "Recommendations explained per user.", DefaultValueFactory = _ => 1 };

    public PromptsRunCommand()
        : base("run", "Run a prompt version over a seeded sample (Explain: users' top recommendations; DescribeItem: items); store the outputs and their metrics.")
    {
        Arguments.Add(_name);
        Options.Add(_version);
        Options.Add(_sample);
        Options.Add(_seed);
        Options.Add(_k);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var sample = parseResult.GetValue(_sample);
        if (sample < 1 || parseResult.GetValue(_k) < 1)
        {
            context.Error.MarkupLine("[red]error:[/] --sample and -k must be at least 1.");
            return ExitCodes.Usage;
        }

        var sessions = context.Get<PromptSessions>();
        if (!sessions.UsesLlmFor(parseResult.GetValue(_name)!))
        {
            context.Error.MarkupLine("[yellow]warning:[/] no LLM is configured (Llm:ModelPath): the outputs are the extractive engine's, whatever the prompt says.");
        }

        var run = await sessions.RunAsync(parseResult.GetValue(_name)!, parseResult.GetValue(_version), sample, parseResult.GetValue(_k), parseResult.GetValue(_seed), null, cancellationToken).ConfigureAwait(false);
        var m = PromptSessions.Metrics(run);
        var what = PromptSessions.OverItems(run.Name) ? $"descriptions of {run.Outputs.Count} items" : $"explanations of {sample} users";
        context.Console.MarkupLine($"Run of [bold]{Markup.Escape(run.Name)} {Short(run.Hash)}[/] with {Markup.Escape(run.Model)}: {m.Outputs} {what} (seed {run.Seed}), stored.");
        context.Console.Write(PromptsCompareCommand.MetricsTable(run.Name, [(Short(run.Hash), m)]));
        foreach (var o in run.Outputs.Take(3))
        {
            var who = o.UserId.Length > 0 ? $"{o.UserId} / {o.ItemId}" : o.ItemId;
            context.Console.MarkupLine($"[dim]{Markup.Escape(who)} ({Markup.Escape(o.Engine)}, {o.LatencyMs.ToString("0", CultureInfo.InvariantCulture)} ms)[/]");
            context.Console.WriteLine("  " + o.Text);
        }

        return ExitCodes.Ok;
    }
}
