namespace Explainer.Core.Domain;

/// <summary>A profile keyword that made an item score: how similar the item is to it, and what that added.</summary>
public sealed record MatchedKeyword(string Keyword, Polarity Polarity, double Weight, double Similarity, double Contribution);

/// <summary>The parts of a recommendation's score (each standardised over the candidate items before weighting).</summary>
public sealed record ScoreParts(double Keywords, double Profile, double Collaborative, double Neighbours, double RatingPrior, double Popularity, double LongTail);

/// <summary>One ranked item for a user, with why it scored: the keywords it matched and the score's parts.</summary>
public sealed record Recommendation
{
    public required int Rank { get; init; }

    public required string ItemId { get; init; }

    public required double Score { get; init; }

    public IReadOnlyList<MatchedKeyword> MatchedKeywords { get; init; } = [];

    public required ScoreParts Parts { get; init; }
}
