using System.CommandLine;
using System.Globalization;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer prompts compare NAME A B</c>: metrics per version, then the outputs side by side (fits 80 columns).</summary>
public sealed class PromptsCompareCommand : PromptsSubcommand
{
    private readonly Argument<string> _name = PromptsCommand.NameArgument();
    private readonly Argument<string> _a = new("A") { Description = "First version (hash prefix)." };
    private readonly Argument<string> _b = new("B") { Description = "Second version (hash prefix)." };
    private readonly Option<int> _rows = new("--rows") { Description = "Side-by-side outputs shown.", DefaultValueFactory = _ => 5 };

    public PromptsCompareCommand()
        : base("compare", "Two versions' latest runs: metrics per version and the outputs side by side.")
    {
        Arguments.Add(_name);
        Arguments.Add(_a);
        Arguments.Add(_b);
        Options.Add(_rows);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var name = parseResult.GetValue(_name)!;
        var library = context.Get<PromptLibrary>();
        var sessions = context.Get<PromptSessions>();
        var a = library.Find(name, parseResult.GetValue(_a)!);
        var b = library.Find(name, parseResult.GetValue(_b)!);
        var runA = sessions.LatestRun(name, a.Hash) ?? throw new PromptException($"Version {Short(a.Hash)} has no run yet: `explainer prompts run {name} --version {Short(a.Hash)} --sample N`.");
        var runB = sessions.LatestRun(name, b.Hash) ?? throw new PromptException($"Version {Short(b.Hash)} has no run yet: `explainer prompts run {name} --version {Short(b.Hash)} --sample N`.");

        var width = Math.Min(context.Console.Profile.Width, 100);
        context.Console.Write(MetricsTable([(Short(a.Hash) + (a.Active ? "*" : ""), PromptSessions.Metrics(runA)), (Short(b.Hash) + (b.Active ? "*" : ""), PromptSessions.Metrics(runB))]).Width(width));
        var table = new Table().Border(TableBorder.Simple).Width(width)
            .AddColumn(new TableColumn("User / item").Width(12))
            .AddColumn(new TableColumn(Short(a.Hash)))
            .AddColumn(new TableColumn(Short(b.Hash)));
        var byKey = runB.Outputs.ToDictionary(o => (o.UserId, o.ItemId));
        foreach (var o in runA.Outputs.Where(o => byKey.ContainsKey((o.UserId, o.ItemId))).Take(Math.Max(1, parseResult.GetValue(_rows))))
        {
            var other = byKey[(o.UserId, o.ItemId)];
            table.AddRow(new Markup($"{Markup.Escape(o.UserId)}\n[dim]{Markup.Escape(o.ItemId)}[/]"), Cell(o), Cell(other));
        }

        context.Console.Write(table);
        context.Console.MarkupLine("[dim]* active version. Outputs are matched by user and item; runs on different samples share fewer rows.[/]");
        return Task.FromResult(ExitCodes.Ok);
    }

    private static Markup Cell(Core.Explaining.PromptRunOutput o) =>
        new($"{Markup.Escape(o.Text)}\n[dim]{Markup.Escape(o.Engine)}{(o.Verified ? ", verified" : ", rejected")}[/]");

    /// <summary>Metric rows, one column per version.</summary>
    public static Table MetricsTable(IReadOnlyList<(string Version, PromptRunMetrics Metrics)> columns)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Metric");
        foreach (var (version, _) in columns)
        {
            table.AddColumn(new TableColumn(Markup.Escape(version)) { Alignment = Justify.Right });
        }

        void Row(string label, Func<PromptRunMetrics, string> value) => table.AddRow([label, .. columns.Select(c => value(c.Metrics))]);
        Row("Explanations", m => m.Outputs.ToString(CultureInfo.InvariantCulture));
        Row("Faithfulness", m => m.Faithfulness.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Link support", m => m.LinkSupport.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Skeleton share (max)", m => m.SkeletonShare.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Quote reuse (max / mean)", m => $"{m.QuoteReuseMax} / {m.QuoteReuseMean.ToString("0.00", CultureInfo.InvariantCulture)}");
        Row("English errors", m => m.EnglishErrors.ToString(CultureInfo.InvariantCulture));
        Row("Grounded precision", m => m.GroundedPrecision.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Feature match", m => m.FeatureMatch.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Unique sentences", m => m.UniqueSentenceRatio.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Mean length (words)", m => m.MeanWords.ToString("0.0", CultureInfo.InvariantCulture));
        Row("Latency (ms)", m => m.MeanLatencyMs.ToString("0", CultureInfo.InvariantCulture));
        Row("Tokens", m => m.MeanTokens.ToString("0", CultureInfo.InvariantCulture));
        Row("Verified", m => m.VerifiedShare.ToString("0.000", CultureInfo.InvariantCulture));
        Row("Fallbacks", m => m.Fallbacks.ToString(CultureInfo.InvariantCulture));
        return table;
    }
}
