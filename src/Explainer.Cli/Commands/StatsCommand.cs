using System.CommandLine;
using System.Text.Json;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer stats</c>: what the store holds.</summary>
public sealed class StatsCommand : ExplainerCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "Print the statistics as JSON." };
    private readonly Option<int> _top = new("--top") { Description = "How many top categories to list.", DefaultValueFactory = _ => 10 };

    public StatsCommand()
        : base("stats", "Counts of users, items and reviews; rating histogram; reviews per user and per item; top categories.")
    {
        Options.Add(_json);
        Options.Add(_top);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var store = context.OpenStore(create: false);
        var s = store.Statistics(Math.Max(1, parseResult.GetValue(_top)));
        var console = context.Console;
        if (parseResult.GetValue(_json))
        {
            console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(s, JsonOptions));
            return Task.FromResult(ExitCodes.Ok);
        }

        console.MarkupLine($"Store [bold]{Markup.Escape(store.Path)}[/] (schema {store.FileSchemaVersion})");
        console.MarkupLine(store.FindServingSnapshot() is { } snapshot
            ? $"Serving snapshot: {snapshot.Bytes / 1048576.0:N1} MB, saved {snapshot.SavedAt:yyyy-MM-dd HH:mm} UTC, of the current data (servers start from it)"
            : "No serving snapshot of the current data: `explainer index` saves one (servers otherwise build the index at start).");
        var counts = new Table().Border(TableBorder.Rounded).AddColumns("Users", "Items", "Reviews", "Reviews with text");
        counts.AddRow(s.Users.ToString("N0"), s.Items.ToString("N0"), s.Reviews.ToString("N0"), s.ReviewsWithText.ToString("N0"));
        console.Write(counts);

        if (s.Reviews == 0)
        {
            console.MarkupLine("[yellow]The store holds no reviews yet: import some with `explainer ingest`.[/]");
            return Task.FromResult(ExitCodes.Ok);
        }

        var chart = new BarChart().Label("Ratings").Width(60);
        foreach (var (rating, count) in s.RatingHistogram)
        {
            chart.AddItem(rating.ToString("0.#"), count, Color.Green);
        }

        console.Write(chart);

        var quantiles = new Table().Border(TableBorder.Rounded).Title("Reviews per …")
            .AddColumns("", "min", "p25", "median", "p75", "p90", "max", "mean");
        foreach (var (name, q) in new[] { ("user", s.ReviewsPerUser), ("item", s.ReviewsPerItem) })
        {
            quantiles.AddRow(name, q.Min.ToString("N0"), q.P25.ToString("0.#"), q.Median.ToString("0.#"), q.P75.ToString("0.#"), q.P90.ToString("0.#"), q.Max.ToString("N0"), q.Mean.ToString("0.00"));
        }

        console.Write(quantiles);

        var categories = new Table().Border(TableBorder.Rounded).Title("Top categories").AddColumns("Category", "Items");
        foreach (var (name, count) in s.TopCategories)
        {
            categories.AddRow(Markup.Escape(name), count.ToString("N0"));
        }

        console.Write(categories);
        return Task.FromResult(ExitCodes.Ok);
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
