namespace Explainer.Core.Domain;

/// <summary>Whether a keyword is something the user likes or dislikes.</summary>
public enum Polarity
{
    Liked,
    Disliked,
}

/// <summary>Where a keyword came from: the review and the sentence in it.</summary>
public sealed record Evidence(string ReviewId, string Sentence);

/// <summary>One interest of a user (or one trait of an item), with its weight and the text that supports it.</summary>
public sealed record Keyword
{
    public required string Text { get; init; }

    public double Weight { get; init; }

    public Polarity Polarity { get; init; }

    public IReadOnlyList<Evidence> Evidence { get; init; } = [];

    /// <summary>The corpus aspect the keyword belongs to (see <see cref="Enrichment.AspectInventory"/>), when known.</summary>
    public string? Aspect { get; init; }
}

/// <summary>A group of related keywords with a short label, e.g. "tone".</summary>
public sealed record InterestTopic(string Label, IReadOnlyList<string> Keywords, double Weight);

/// <summary>A user's weighted interests, as extracted from their reviews and adjusted by feedback.</summary>
public sealed record InterestProfile
{
    /// <summary>The user's id (also the document id).</summary>
    public required string UserId { get; init; }

    /// <summary>What ranking uses: <see cref="ReviewKeywords"/> adjusted by the user's feedback, heaviest first.</summary>
    public IReadOnlyList<Keyword> Keywords { get; init; } = [];

    /// <summary>Keywords from the user's reviews alone, before feedback (kept so feedback can be re-applied without re-reading reviews).</summary>
    public IReadOnlyList<Keyword> ReviewKeywords { get; init; } = [];

    public IReadOnlyList<InterestTopic> Topics { get; init; } = [];

    /// <summary>The user's attention per aspect, with the sentences that show it (from their reviews).</summary>
    public IReadOnlyList<AspectOpinion> Aspects { get; init; } = [];

    /// <summary>Which engine wrote it ("extractive", or "llm:&lt;model&gt;").</summary>
    public required string Engine { get; init; }

    /// <summary>Hash of the inputs (reviews + engine), so unchanged users are skipped on re-enrichment.</summary>
    public required string InputHash { get; init; }

    /// <summary>Bumped on every change (feedback included): explanations keyed by it go stale.</summary>
    public int Version { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
