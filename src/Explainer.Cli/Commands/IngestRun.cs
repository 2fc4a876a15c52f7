using Explainer.Cli.Console;
using Explainer.Core.Ingest;
using Explainer.Ingest;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>Runs an import with a progress bar and prints what was read, stored and skipped.</summary>
internal static class IngestRun
{
    public static async Task<int> RunAsync(CliContext context, bool strict, Func<Importer, CancellationToken, Task<IngestSummary>> import, CancellationToken cancellationToken)
    {
        var store = context.OpenStore(create: true);
        var summary = await ProgressDisplay.RunAsync(context.Console, context.Error, "Importing", async progress =>
        {
            var bytes = new Progress(progress);
            var importer = new Importer(store, strict, bytes, context.LoggerFactory.CreateLogger<Importer>());
            return await import(importer, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);

        Print(context.Console, summary, store.Statistics());
        return ExitCodes.Ok;
    }

    private sealed class Progress(IProgress<ProgressUpdate> target) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress p) =>
            target.Report(new ProgressUpdate($"{Path.GetFileName(p.File)} ({p.FileIndex + 1}/{p.FileCount}), {p.Rows:N0} rows", p.BytesDone / 1e6, p.BytesTotal / 1e6, "MB"));
    }

    private static void Print(IAnsiConsole console, IngestSummary summary, Core.Domain.StoreStatistics stats)
    {
        var files = new Table().Border(TableBorder.Rounded).Title("Read")
            .AddColumns("File", "Kind", "Rows read", "Skipped", "Skipped by field");
        foreach (var f in summary.Files)
        {
            files.AddRow(
                Markup.Escape(Path.GetFileName(f.Path)), f.Kind, f.RowsRead.ToString("N0"), f.RowsSkipped.ToString("N0"),
                Markup.Escape(string.Join(", ", f.SkippedByField.Select(kv => $"{kv.Key}: {kv.Value:N0}"))));
        }

        console.Write(files);

        var stored = new Table().Border(TableBorder.Rounded).Title("Stored")
            .AddColumns("", "New", "Updated", "Unchanged", "Now in store");
        stored.AddRow("reviews", N(summary.Reviews.Added), N(summary.Reviews.Updated), N(summary.Reviews.Unchanged), N(stats.Reviews));
        stored.AddRow("users", N(summary.Users.Added), N(summary.Users.Updated), N(summary.Users.Unchanged), N(stats.Users));
        stored.AddRow("items", N(summary.Items.Added), N(summary.Items.Updated), N(summary.Items.Unchanged), N(stats.Items));
        console.Write(stored);

        if (summary.ItemsWithoutMetadata > 0)
        {
            console.MarkupLine($"[yellow]{summary.ItemsWithoutMetadata:N0} items are known only from reviews (no metadata row); they are stored without a title.[/]");
        }

        var problems = summary.Files.SelectMany(f => f.Examples).ToList();
        if (problems.Count > 0)
        {
            console.MarkupLine($"[yellow]Skipped {summary.RowsSkipped:N0} malformed rows[/] (first {problems.Count} shown; --strict fails instead):");
            foreach (var p in problems)
            {
                console.MarkupLine($"  {Markup.Escape(p.ToString())}");
            }
        }

        console.MarkupLine($"Done in {summary.Elapsed.TotalSeconds:F1} s: [green]{summary.Reviews.Added:N0} new reviews, {summary.Users.Added:N0} new users, {summary.Items.Added:N0} new items[/].");
    }

    private static string N(int n) => n.ToString("N0");
}
