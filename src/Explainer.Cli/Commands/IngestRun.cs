using Explainer.Cli.Console;
using Explainer.Core.Ingest;
using Explainer.Core.Domain;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.Logging;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>Runs an import with a progress bar and prints what was read, stored and skipped.</summary>
internal static class IngestRun
{
    /// <summary>
    /// Imports into the configured store. A store that does not exist yet is created only when the import succeeds
    /// and has something to write (a failed or empty first import leaves no file behind).
    /// </summary>
    public static async Task<int> RunAsync(CliContext context, bool strict, Func<Importer, CancellationToken, Task<IngestSummary>> import, CancellationToken cancellationToken)
    {
        async Task<(IngestSummary Summary, StoreStatistics Stats)> Fill(ExplainerStore store)
        {
            var summary = await ProgressDisplay.RunAsync(context.Console, context.Error, "Importing", async progress =>
            {
                var importer = new Importer(store, strict, new Progress(progress), context.LoggerFactory.CreateLogger<Importer>());
                return await import(importer, cancellationToken).ConfigureAwait(false);
            }).ConfigureAwait(false);
            return (summary, store.Statistics());
        }

        var path = Path.GetFullPath(context.StorePath);
        if (File.Exists(path))
        {
            var (summary, stats) = await Fill(context.OpenStore(create: false)).ConfigureAwait(false);
            Print(context.Console, summary, stats);
            return ExitCodes.Ok;
        }

        var ((created, createdStats), made) = await ExplainerStore.CreateAsync(path, Fill, r => r.Summary.RowsWritten > 0).ConfigureAwait(false);
        Print(context.Console, created, createdStats);
        if (!made)
        {
            context.Error.MarkupLine($"[yellow]Nothing to import: no store was created at {Markup.Escape(path)}.[/]");
            return ExitCodes.Failed;
        }

        return ExitCodes.Ok;
    }

    private sealed class Progress(IProgress<ProgressUpdate> target) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress p) =>
            target.Report(new ProgressUpdate($"{Path.GetFileName(p.File)} ({p.FileIndex + 1}/{p.FileCount}), {p.Rows:N0} rows", p.BytesDone / 1e6, p.BytesTotal / 1e6, "MB"));
    }

    private static void Print(IAnsiConsole console, IngestSummary summary, StoreStatistics stats)
    {
        var files = new Table().Border(TableBorder.Rounded).Title("Read")
            .AddColumns("File", "Kind", "Rows read", "Skipped", "Skipped by field", "Invalid UTF-8");
        foreach (var f in summary.Files)
        {
            files.AddRow(
                Markup.Escape(Path.GetFileName(f.Path)), f.Kind, f.RowsRead.ToString("N0"), f.RowsSkipped.ToString("N0"),
                Markup.Escape(string.Join(", ", f.SkippedByField.Select(kv => $"{kv.Key}: {kv.Value:N0}"))), f.InvalidUtf8.ToString("N0"));
        }

        console.Write(files);

        // New and changed records were written; unchanged ones were already stored as read; duplicates repeat a row of the same file (the first is kept).
        var stored = new Table().Border(TableBorder.Rounded).Title("Stored")
            .AddColumns("", "New", "Changed", "Unchanged", "Duplicate in file", "Now in store");
        foreach (var (name, counts, total) in new[] { ("reviews", summary.Reviews, stats.Reviews), ("users", summary.Users, stats.Users), ("items", summary.Items, stats.Items) })
        {
            stored.AddRow(name, N(counts.Added), N(counts.Updated), N(counts.Unchanged), N(counts.DuplicateInFile), N(total));
        }

        console.Write(stored);

        if (summary.InvalidUtf8 > 0)
        {
            console.MarkupLine($"[yellow]{summary.InvalidUtf8:N0} byte sequences were not valid UTF-8; each was replaced by U+FFFD (is the file in another encoding?).[/]");
        }

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
