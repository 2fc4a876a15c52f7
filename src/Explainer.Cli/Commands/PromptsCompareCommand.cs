using System.CommandLine;
using System.Globalization;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// <c>explainer prompts compare NAME A B</c>: A is the baseline, B the candidate; B's latest run against A's run on the
/// same sample, as the /tune page shows it: every metric with its delta, the counts of improved / regressed / unchanged
/// cases, then the cases side by side (fits 80 columns).
/// </summary>
public sealed class PromptsCompareCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Argument<string> _a = new("A") { Description = "The baseline version (hash prefix)." };
    private readonly Argument<string> _b = new("B") { Description = "The candidate version (hash prefix)." };
    private readonly Option<int> _rows = new("--rows") { Description = "Side-by-side outputs shown.", DefaultValueFactory = _ => 5 };
    private readonly Option<string> _only = new Option<string>("--only") { Description = "Show only these cases.", DefaultValueFactory = _ => "all", HelpName = "WHICH" }
        .AcceptOnlyFromAmong("all", "changed", "regressed", "failed");

    public PromptsCompareCommand()
        : base("compare", "A candidate version's latest run against a baseline's run on the same sample (by the same model when there is one): metrics with deltas, improved / regressed / unchanged cases, outputs side by side.")
    {
        Arguments.Add(_name);
        Arguments.Add(_a);
        Arguments.Add(_b);
        Options.Add(_rows);
        Options.Add(_only);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        var comparison = context.Get<PromptSessions>().Compare(name, parseResult.GetValue(_b)!, parseResult.GetValue(_a)!);
        var (a, b) = (comparison.Baseline, comparison.Candidate);

        var width = Math.Min(context.Console.Profile.Width, 100);
        var metrics = new Table().Border(TableBorder.Rounded).Width(width).AddColumn("Metric")
            .AddColumn(new TableColumn(Short(a.Hash) + (a.Active ? "*" : "")) { Alignment = Justify.Right })
            .AddColumn(new TableColumn(Short(b.Hash) + (b.Active ? "*" : "")) { Alignment = Justify.Right })
            .AddColumn(new TableColumn("Δ") { Alignment = Justify.Right });
        foreach (var m in comparison.Metrics)
        {
            metrics.AddRow(Markup.Escape(m.Label), Format(m.Baseline, m.Format), Format(m.Candidate, m.Format), Delta(m));
        }

        context.Console.Write(metrics);
        if (comparison.ModelsDiffer)
        {
            context.Console.MarkupLine($"[yellow]The runs were written by different models ({Markup.Escape(comparison.BaselineRun.Model)} and {Markup.Escape(comparison.CandidateRun.Model)}): a difference may be the model's, not the prompt's.[/]");
        }

        if (comparison.AllFallbacks)
        {
            context.Console.MarkupLine("[yellow]Every text the candidate's run shows is the extractive fallback: the text metrics describe that text, not the prompt's; read the levels (own text passed, drafts parsed).[/]");
        }

        context.Console.MarkupLine($"Cases: [green]{comparison.Improved} improved[/], [red]{comparison.Regressed} regressed[/], {comparison.Unchanged} unchanged; {comparison.TextChanged} with changed text, {comparison.Changed} with changed text or drafts ({comparison.Cases.Count} in both runs).");
        var table = new Table().Border(TableBorder.Simple).Width(width)
            .AddColumn(new TableColumn("User / item").Width(12))
            .AddColumn(new TableColumn(Short(a.Hash)))
            .AddColumn(new TableColumn(Short(b.Hash)));
        var only = parseResult.GetValue(_only);
        var cases = comparison.Cases.Where(c => only switch
        {
            "changed" => c.Changed,
            "regressed" => c.Outcome == CaseComparison.Regressed,
            "failed" => !c.BaselineScore.Passed || !c.CandidateScore.Passed,
            _ => true,
        });
        foreach (var c in cases.Take(Math.Max(1, parseResult.GetValue(_rows))))
        {
            table.AddRow(new Markup($"{Markup.Escape(c.UserId)}\n[dim]{Markup.Escape(c.ItemId)}[/]\n{c.Outcome}"), Cell(c.Baseline), Cell(c.Candidate));
        }

        context.Console.Write(table);
        context.Console.MarkupLine("[dim]* active version. Cases are matched by user and item on the same sample.[/]");
        return Task.FromResult(ExitCodes.Ok);
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Delta(MetricDelta d)
    {
        var text = (d.Delta >= 0 ? "+" : "") + Format(d.Delta, d.Format);
        return d.Direction switch { > 0 => $"[green]{text}[/]", < 0 => $"[red]{text}[/]", _ => text };
    }

    private static Markup Cell(Core.Explaining.PromptRunOutput o) =>
        new($"{Markup.Escape(o.Text)}\n[dim]{Markup.Escape(o.Engine)}{(o.Verified ? ", verified" : ", rejected")}[/]");

    /// <summary>A run's metrics (<c>prompts run</c>), one column per version.</summary>
    public static Table MetricsTable(string name, IReadOnlyList<(string Version, PromptRunMetrics Metrics)> columns)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Metric");
        foreach (var (version, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(version)) { Alignment = Justify.Right });
        }

        var rows = columns.Select(c => PromptComparison.Deltas(c.Metrics, c.Metrics, name)).ToList();
        for (var i = 0; i < rows[0].Count; i++)
        {
            table.AddRow([Markup.Escape(rows[0][i].Label), .. rows.Select(r => Format(r[i].Baseline, r[i].Format))]);
        }

        return table;
    }
}
