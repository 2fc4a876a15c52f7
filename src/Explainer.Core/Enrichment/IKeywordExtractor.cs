using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>Pulls interest keywords out of review text. Implemented by the extractive engine and by the LLM engine.</summary>
public interface IKeywordExtractor
{
    /// <summary>Recorded on every stored result, e.g. "extractive/1" or "llm:qwen2.5-1.5b/ExtractKeywords@3f2a".</summary>
    string EngineId { get; }

    /// <summary>Learns what it needs from the corpus (e.g. document frequencies). Call before <see cref="ExtractAsync"/>.</summary>
    Task PrepareAsync(IReadOnlyList<Review> corpus, CancellationToken cancellationToken);

    /// <summary>Keywords of each review, in the order given; a review without text gives none.</summary>
    Task<IReadOnlyList<IReadOnlyList<ReviewKeyword>>> ExtractAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken);
}

/// <summary>Writes a short factual description of an item from its facts and its keywords.</summary>
public interface IItemDescriber
{
    string EngineId { get; }

    Task<string> DescribeAsync(Item item, IReadOnlyList<Keyword> keywords, CancellationToken cancellationToken);
}
