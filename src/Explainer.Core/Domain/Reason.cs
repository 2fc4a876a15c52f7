namespace Explainer.Core.Domain;

/// <summary>What kind of evidence a reason is; each groups parts of the score.</summary>
public enum ReasonKind
{
    /// <summary>People who reviewed the user's items also reviewed this one (EASE^R and item-kNN parts).</summary>
    Collaborative,

    /// <summary>It is like what the user writes about and reviewed (keyword and profile-vector parts).</summary>
    Content,

    /// <summary>Many people reviewed it, and rated it well (popularity and rating parts).</summary>
    Popularity,

    /// <summary>A less-known item lifted by the long-tail boost.</summary>
    Discovery,

    /// <summary>It matches the words of a free-text query (cold start).</summary>
    Query,
}

/// <summary>
/// One of the user's reviewed items behind a collaborative reason, with honest counts: <see cref="CoReviewers"/> of
/// the <see cref="Reviewers"/> people who reviewed it also reviewed the recommended item.
/// </summary>
public sealed record HistoryLink(string ItemId, double Contribution, int CoReviewers, int Reviewers);

/// <summary>One of the user's reviewed items that the recommended item is close to in content (cosine of their vectors).</summary>
public sealed record ContentLink(string ItemId, double Similarity);

/// <summary>
/// One reason an item is recommended: its kind, how much it adds to the score (the weighted standardised parts of
/// its kind), its share of the positive contributions, and the evidence the ranker has for it.
/// </summary>
public sealed record Reason(ReasonKind Kind, double Contribution, double Share)
{
    /// <summary>Collaborative: the user's items that contribute most, biggest first.</summary>
    public IReadOnlyList<HistoryLink> History { get; init; } = [];

    /// <summary>Content: the user's reviewed items nearest to this one.</summary>
    public IReadOnlyList<ContentLink> Similar { get; init; } = [];

    /// <summary>Popularity: how many people reviewed the item, and their mean rating.</summary>
    public int Reviewers { get; init; }

    public double MeanRating { get; init; }

    /// <summary>Query: the words of the query found in the item's title, category or reviewers' phrases.</summary>
    public IReadOnlyList<string> MatchedWords { get; init; } = [];
}
