namespace Explainer.Core.Domain;

/// <summary>One sentence that says something about an aspect: the review, the sentence, the phrase in it, and how positive it is (-1..1).</summary>
public sealed record AspectMention(string ReviewId, string Sentence, string Phrase, double Sentiment);

/// <summary>
/// What one user says about one aspect (their attention to it) or what an item's reviewers say about it (its quality
/// on it), the explicit-factor way (Zhang et al., SIGIR 2014): how often it is mentioned, how often positively and
/// negatively, a score, and the most telling mentions (positive first).
/// </summary>
public sealed record AspectOpinion
{
    /// <summary>The aspect's id: the lemma of the phrase that founded it in the corpus ("tone", "tuning stability").</summary>
    public required string Aspect { get; init; }

    public int Mentions { get; init; }

    public int Positive { get; init; }

    public int Negative { get; init; }

    /// <summary>
    /// For a user, attention: 1 - exp(-mentions / 2), 0..1 (how much they talk about it). For an item, quality: the mean
    /// sentiment of its reviewers' mentions shrunk toward neutral by <see cref="Enrichment.AspectScores.Shrinkage"/> pseudo-mentions, -1..1.
    /// </summary>
    public double Score { get; init; }

    /// <summary>Mean sentiment of the mentions, -1..1.</summary>
    public double Sentiment { get; init; }

    public IReadOnlyList<AspectMention> Evidence { get; init; } = [];
}

/// <summary>An aspect of the inventory as stored: its id and its phrases with how often each was seen.</summary>
public sealed record AspectEntry(string Id, IReadOnlyDictionary<string, int> Members);

/// <summary>The corpus's aspect inventory as stored (see <see cref="Enrichment.AspectInventory"/>).</summary>
public sealed record AspectInventoryRecord
{
    public string Engine { get; init; } = string.Empty;

    public IReadOnlyDictionary<string, string> Assignments { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Leaders { get; init; } = [];

    public IReadOnlyList<AspectEntry> Aspects { get; init; } = [];
}
