namespace Explainer.Core.Domain;

/// <summary>A short factual description of an item and its own keywords, written by an engine.</summary>
public sealed record ItemDescription
{
    public required string ItemId { get; init; }

    public required string Text { get; init; }

    public IReadOnlyList<Keyword> Keywords { get; init; } = [];

    /// <summary>The item's quality per aspect, as its reviewers see it, with their most telling sentences.</summary>
    public IReadOnlyList<AspectOpinion> Aspects { get; init; } = [];

    /// <summary>How many reviews the item has and their mean rating, when enriched (for popularity reasons).</summary>
    public int Reviews { get; init; }

    public double MeanRating { get; init; }

    public required string Engine { get; init; }

    public required string InputHash { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
