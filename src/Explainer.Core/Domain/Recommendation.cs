namespace Explainer.Core.Domain;

/// <summary>A profile keyword that made an item score: how similar the item is to it, and what that added.</summary>
public sealed record MatchedKeyword(string Keyword, Polarity Polarity, double Weight, double Similarity, double Contribution);

/// <summary>The parts of a recommendation's score (each standardised over the candidate items before weighting, except the long-tail boost).</summary>
public sealed record ScoreBreakdown(double Keywords, double Profile, double Collaborative, double Neighbours, double RatingPrior, double Popularity, double LongTail);

/// <summary>One ranked item for a user, with why it scored: its reasons (the score's parts in order of contribution), the keywords it matched and the raw parts.</summary>
public sealed record Recommendation
{
    public required int Rank { get; init; }

    public required string ItemId { get; init; }

    public required double Score { get; init; }

    public IReadOnlyList<MatchedKeyword> MatchedKeywords { get; init; } = [];

    public required ScoreBreakdown Breakdown { get; init; }

    /// <summary>Why the item is here: the kinds of evidence behind its score, largest contribution first (positive ones only).</summary>
    public IReadOnlyList<Reason> Reasons { get; init; } = [];

    /// <summary>The reason that contributes most, or null when no part is positive.</summary>
    public Reason? TopReason => Reasons.Count > 0 ? Reasons[0] : null;
}
