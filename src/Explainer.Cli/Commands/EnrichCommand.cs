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
    private readonly Option<string?> _engine = new("--engine")
    {
        Description = "Who writes keywords and descriptions: auto (the LLM when Llm:Endpoint or Llm:ModelPath is set, else extractive), extractive or llm. Default: Enrich:Engine, else auto.",
        HelpName = "auto|extractive|llm",
    };

    public EnrichCommand()
        : base("enrich", "Pull interest keywords out of reviews and describe items (both unless --users or --items). Incremental: unchanged users and items are skipped; an interrupted run resumes.")
    {
        Options.Add(_users);
        Options.Add(_items);
        _engine.AcceptOnlyFromAmong("auto", "extractive", "llm");
        Options.Add(_engine);
    }

    protected override IEnumerable<KeyValuePair<string, string?>> ConfigurationOverrides(ParseResult parseResult) =>
        parseResult.GetValue(_engine) is { } engine ? [new("Enrich:Engine", engine)] : [];

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var users = parseResult.GetValue(_users);
        var items = parseResult.GetValue(_items);
        if (!users && !items)
        {
            users = items = true;
        }

        var service = context.Get<EnrichmentService>();
        var usage = context.Get<Explaining.LlmUsage>();
        var before = usage.Snapshot();
        var summary = await ProgressDisplay.RunAsync(context.Console, context.Error, $"Enriching ({service.KeywordEngine})", progress =>
            service.EnrichAsync(users, items, new StageProgress(progress), cancellationToken)).ConfigureAwait(false);

        context.Console.MarkupLine(
            $"Enriched with [bold]{Markup.Escape(summary.KeywordEngine)}[/]{(summary.DescriptionEngine == summary.KeywordEngine ? "" : $" (descriptions: [bold]{Markup.Escape(summary.DescriptionEngine)}[/])")} in {summary.Elapsed.TotalSeconds:F1} s: " +
            $"{summary.ItemsEnriched:N0} items ({summary.ItemsUnchanged:N0} unchanged), {summary.UsersEnriched:N0} users ({summary.UsersUnchanged:N0} unchanged).");
        if (usage.Snapshot() - before is { Requests: > 0 } spent)
        {
            context.Console.MarkupLine($"LLM: {spent.Requests:N0} requests, {spent.InputTokens:N0} prompt tokens, {spent.OutputTokens:N0} output tokens ({spent.OutputTokens / Math.Max(0.001, summary.Elapsed.TotalSeconds):N0} output tokens/s).");
        }

        return ExitCodes.Ok;
    }

    internal sealed class StageProgress(IProgress<ProgressUpdate> target) : IProgress<EnrichmentProgress>
    {
        public void Report(EnrichmentProgress value) => target.Report(new ProgressUpdate(value.Stage, value.Done, value.Total, value.Stage));
    }
}
