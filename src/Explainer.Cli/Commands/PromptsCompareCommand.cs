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
        : base("compare", "A candidate version's latest run against a baseline's run on the same sample: metrics with deltas, improved / regressed / unchanged cases, outputs side by side.")
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
        var metrics = MetricsTable(
            [(Short(a.Hash) + (a.Active ? "*" : ""), PromptSessions.Metrics(comparison.BaselineRun)), (Short(b.Hash) + (b.Active ? "*" : ""), PromptSessions.Metrics(comparison.CandidateRun))],
            comparison.Metrics.ToDictionary(m => m.Key, StringComparer.Ordinal)).Width(width);
        context.Console.Write(metrics);
        context.Console.MarkupLine($"Cases: [green]{comparison.Improved} improved[/], [red]{comparison.Regressed} regressed[/], {comparison.Unchanged} unchanged; {comparison.Changed} with changed text ({comparison.Cases.Count} in both runs).");
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

    private static string Delta(MetricDelta d)
    {
        var text = (d.Delta >= 0 ? "+" : "") + d.Delta.ToString(d.Format, CultureInfo.InvariantCulture);
        return d.Direction switch { > 0 => $"[green]{text}[/]", < 0 => $"[red]{text}[/]", _ => text };
    }

    private static Markup Cell(Core.Explaining.PromptRunOutput o) =>
        new($"{Markup.Escape(o.Text)}\n[dim]{Markup.Escape(o.Engine)}{(o.Verified ? ", verified" : ", rejected")}[/]");

    /// <summary>Metric rows, one column per version, and a Δ column (second minus first) when the deltas are given.</summary>
    public static Table MetricsTable(IReadOnlyList<(string Version, PromptRunMetrics Metrics)> columns, IReadOnlyDictionary<string, MetricDelta>? deltas = null)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Metric");
        foreach (var (version, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(version)) { Alignment = Justify.Right });
        }

        if (deltas is not null)
        {
            table.AddColumn(new TableColumn("Δ") { Alignment = Justify.Right });
        }

        void Row(string label, string? key, Func<PromptRunMetrics, string> value)
        {
            var cells = new List<string> { label };
            cells.AddRange(columns.Select(c => value(c.Metrics)));
            if (deltas is not null)
            {
                cells.Add(key is not null && deltas.TryGetValue(key, out var d) ? Delta(d) : string.Empty);
            }

            table.AddRow([.. cells]);
        }

        Row("Explanations", null, m => m.Outputs.ToString(CultureInfo.InvariantCulture));
        Row("Faithfulness", "faithfulness", m => m.Faithfulness.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Link support", "linkSupport", m => m.LinkSupport.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Skeleton share (max)", "skeletonShare", m => m.SkeletonShare.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Quote reuse (max / mean)", "quoteReuseMax", m => $"{m.QuoteReuseMax} / {m.QuoteReuseMean.ToString("0.00", CultureInfo.InvariantCulture)}");
        Row("English errors", "englishErrors", m => m.EnglishErrors.ToString(CultureInfo.InvariantCulture));
        Row("Grounded precision", "groundedPrecision", m => m.GroundedPrecision.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Feature match", null, m => m.FeatureMatch.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Unique sentences", "uniqueSentences", m => m.UniqueSentenceRatio.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Mean length (words)", "meanWords", m => m.MeanWords.ToString("0.0", CultureInfo.InvariantCulture));
        Row("Latency (ms)", "latencyMs", m => m.MeanLatencyMs.ToString("0", CultureInfo.InvariantCulture));
        Row("Tokens", "tokens", m => m.MeanTokens.ToString("0", CultureInfo.InvariantCulture));
        Row("Verified", "verified", m => m.VerifiedShare.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Fallbacks", "fallbacks", m => m.Fallbacks.ToString(CultureInfo.InvariantCulture));
        Row("Thumbs up / down", "thumbsDown", m => $"{m.ThumbsUp} / {m.ThumbsDown}");
        return table;
    }
}
