using System.CommandLine;
using Explainer.Cli.Console;
using Explainer.Core.Recommending;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer index</c>: embed item descriptions and profiles into the store.</summary>
public sealed class IndexCommand : ExplainerCommand
{
    public IndexCommand()
        : base("index", "Embed item descriptions and user profiles with the configured encoder (Encoder:Path) and store the vectors. Unchanged ones are skipped.")
    {
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var service = context.Get<IndexService>();
        var summary = await ProgressDisplay.RunAsync(context.Console, context.Error, "Indexing", progress =>
            service.BuildAsync(new EnrichCommand.StageProgress(progress), cancellationToken)).ConfigureAwait(false);
        context.Console.MarkupLine(
            $"Indexed with [bold]{Markup.Escape(summary.Encoder)}[/]: {summary.ItemsEmbedded:N0} items ({summary.ItemsUnchanged:N0} unchanged), " +
            $"{summary.ProfilesEmbedded:N0} profiles ({summary.ProfilesUnchanged:N0} unchanged).");
        // What a starting server reads instead of rebuilding from every review (seconds to tens of seconds at scale).
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var (snapshot, written) = await context.Get<RecommendationService>().SaveSnapshotAsync(cancellationToken).ConfigureAwait(false);
            context.Console.MarkupLine(written
                ? $"Saved the serving snapshot ({snapshot.Bytes / 1048576.0:N1} MB) in {clock.Elapsed.TotalSeconds:N1} s: servers start from it."
                : "The serving snapshot is current.");
        }
        catch (RecommendationException e)
        {
            // The vectors are stored; only the faster start is missing (e.g. no item has a description yet).
            context.Console.MarkupLineInterpolated($"[yellow]No serving snapshot saved:[/] {e.Message}");
        }

        return ExitCodes.Ok;
    }
}
