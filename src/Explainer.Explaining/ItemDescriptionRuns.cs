using System.Diagnostics;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Explaining;
using Explainer.Core.Storage;
using Explainer.Explaining.Llm;
using Explainer.Extractive;

namespace Explainer.Explaining;

/// <summary>
/// Prompt-tuning runs of <c>DescribeItem</c>: a seeded sample of described items, each described again by the given
/// version of the prompt (through the LLM when one is configured; else by the extractive describer, whatever the prompt
/// says), checked as enrichment checks it (JSON, numbers and content words from the item's data), one output per item.
/// </summary>
public sealed class ItemDescriptionRuns(IRecommenderStore store, LlmItemDescriber? llm)
{
    /// <summary>The model the runs are written with ("none": the extractive describer).</summary>
    public string ModelId => llm?.ModelId ?? "none";

    public bool UsesLlm => llm is not null;

    /// <summary>Items described in one model batch (progress is reported per batch).</summary>
    private const int Batch = 4;

    /// <summary>The sample: described items, shuffled by <paramref name="seed"/>, the first <paramref name="items"/>.</summary>
    public IReadOnlyList<string> SampleItems(int items, int seed)
    {
        var all = store.Descriptions().Select(d => d.ItemId).Order(StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(all);
        return items > 0 && items < all.Length ? all[..items] : all;
    }

    public async Task<IReadOnlyList<PromptRunOutput>> RunAsync(PromptVersion version, int items, int seed, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var sample = SampleItems(items, seed);
        var outputs = new List<PromptRunOutput>(sample.Count);
        for (var start = 0; start < sample.Count; start += Batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = sample.Skip(start).Take(Batch)
                .Select(id => (Item: store.FindItem(id), Description: store.FindDescription(id)))
                .Where(x => x.Item is not null && x.Description is not null)
                .Select(x => new ItemToDescribe(x.Item!, x.Description!.Keywords))
                .ToList();
            var watch = Stopwatch.StartNew();
            if (llm is null)
            {
                outputs.AddRange(batch.Select(Extractive));
            }
            else
            {
                var attempts = await llm.AttemptAsync(batch, version, cancellationToken).ConfigureAwait(false);
                var each = watch.Elapsed.TotalMilliseconds / Math.Max(1, batch.Count);
                outputs.AddRange(batch.Select((item, i) => FromModel(item, attempts[i], each)));
            }

            progress?.Report((Math.Min(start + Batch, sample.Count), sample.Count));
        }

        return outputs;
    }

    private static PromptRunOutput Extractive(ItemToDescribe item)
    {
        var watch = Stopwatch.StartNew();
        var text = ExtractiveDescriber.Describe(item.Item, item.Keywords);
        var ms = watch.Elapsed.TotalMilliseconds;
        var source = LlmItemDescriber.Facts(item.Item) + "\n" + LlmItemDescriber.Phrases(item.Keywords);
        return Output(item, text, ExtractiveKeywordExtractor.Version, PromptRunOutput.Accepted, Grounding.ContentWordSupport(text, source).Support, ms, 0, [], [], source);
    }

    private PromptRunOutput FromModel(ItemToDescribe item, DescriptionAttempt attempt, double ms)
    {
        var source = attempt.Facts + "\n" + attempt.Phrases;
        if (attempt.Text is { } kept)
        {
            return Output(item, kept, llm!.EngineOf(attempt.Version), PromptRunOutput.Accepted, Grounding.ContentWordSupport(kept, source).Support, ms, attempt.Tokens, [], [], source);
        }

        // Rejected: the extractive description is what enrichment would store; the model's answer is kept to be read.
        var fallback = ExtractiveDescriber.Describe(item.Item, item.Keywords);
        var level = attempt.Parsed is null ? PromptRunOutput.Unusable : PromptRunOutput.Rejected;
        var support = attempt.Parsed is { } parsed ? Grounding.ContentWordSupport(parsed, source).Support : 0;
        return Output(item, fallback, ExplanationService.FallbackEngine, level, support, ms, attempt.Tokens, [attempt.Raw], [$"attempt 1: {attempt.Problem}"], source);
    }

    private static PromptRunOutput Output(ItemToDescribe item, string text, string engine, int level, double support, double ms, int tokens, IReadOnlyList<string> drafts, IReadOnlyList<string> problems, string source) =>
        new(string.Empty, item.Item.Id, text, engine, level == PromptRunOutput.Accepted, support, false, ms)
        {
            Rank = 0,
            Level = level,
            Faithful = true, // a description states no reason: not a metric of item runs (the page and CLI do not show it)
            RejectedDrafts = drafts,
            Problems = problems,
            Evidence = [.. source.Split('\n', StringSplitOptions.RemoveEmptyEntries)],
            Tokens = tokens,
        };
}
