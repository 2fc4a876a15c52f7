using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>Pulls interest keywords out of review text. Implemented by the extractive engine and by the LLM engine.</summary>
public interface IKeywordExtractor
{
    /// <summary>Recorded on every stored result, e.g. "extractive/1" or "llm:qwen2.5-1.5b/ExtractKeywords@3f2a".</summary>
    string EngineId { get; }

    /// <summary>Learns what it needs from the corpus (e.g. document frequencies). Call before <see cref="ExtractAsync"/>.</summary>
    Task PrepareAsync(IEnumerable<Review> corpus, CancellationToken cancellationToken);

    /// <summary>Keywords of each review, in the order given; a review without text gives none.</summary>
    Task<IReadOnlyList<IReadOnlyList<ReviewKeyword>>> ExtractAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken);
}

/// <summary>An item to describe, with its own keywords (aggregated from its reviews, each with evidence).</summary>
public sealed record ItemToDescribe(Item Item, IReadOnlyList<Keyword> Keywords);

/// <summary>Text an engine wrote and the engine that wrote it (a generator may fall back to another engine per item).</summary>
public sealed record WrittenText(string Text, string Engine);

/// <summary>Writes a short factual description of items from their facts and their keywords.</summary>
public interface IItemDescriber
{
    /// <summary>The engine and version; part of each item's input hash, so a change re-describes the items.</summary>
    string EngineId { get; }

    /// <summary>One description per item, in the order given. Many at once, so a generator can batch them.</summary>
    Task<IReadOnlyList<WrittenText>> DescribeAsync(IReadOnlyList<ItemToDescribe> items, CancellationToken cancellationToken);
}
