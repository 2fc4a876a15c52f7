using System.CommandLine;
using Explainer.Cli.Console;
using Explainer.Core.Enrichment;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer enrich</c>: interest profiles for users, descriptions and keywords for items.</summary>
public sealed class EnrichCommand : ExplainerCommand
{
    private readonly Option<bool> _users = new("--users") { Description = "Build user interest profiles (keywords with weight, polarity and evidence; topics)." };
    private readonly Option<bool> _items = new("--items") { Description = "Write item descriptions and item keywords." };

    public EnrichCommand()
        : base("enrich", "Pull interest keywords out of reviews and describe items (both unless --users or --items). Incremental: unchanged users and items are skipped; an interrupted run resumes.")
    {
        Options.Add(_users);
        Options.Add(_items);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var users = parseResult.GetValue(_users);
        var items = parseResult.GetValue(_items);
        if (!users && !items)
        {
            users = items = true;
        }

        var service = context.Get<EnrichmentService>();
        var summary = await ProgressDisplay.RunAsync(context.Console, context.Error, $"Enriching ({service.Engine})", progress =>
            service.EnrichAsync(users, items, new StageProgress(progress), cancellationToken)).ConfigureAwait(false);

        context.Console.MarkupLine(
            $"Enriched with [bold]{Markup.Escape(summary.Engine)}[/] in {summary.Elapsed.TotalSeconds:F1} s: " +
            $"{summary.ItemsEnriched:N0} items ({summary.ItemsUnchanged:N0} unchanged), {summary.UsersEnriched:N0} users ({summary.UsersUnchanged:N0} unchanged).");
        return ExitCodes.Ok;
    }

    internal sealed class StageProgress(IProgress<ProgressUpdate> target) : IProgress<EnrichmentProgress>
    {
        public void Report(EnrichmentProgress value) => target.Report(new ProgressUpdate(value.Stage, value.Done, value.Total, value.Stage));
    }
}
