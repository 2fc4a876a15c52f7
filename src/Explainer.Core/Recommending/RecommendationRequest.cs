using Explainer.Core.Domain;

namespace Explainer.Core.Recommending;

/// <summary>
/// What to rank for and what may come back, applied before the top k is taken (so a filter never empties a list that
/// has matching items further down): for a user, a free-text query, or "more like" an item; or, with none of these,
/// the popular, well-rated items (a cold start).
/// </summary>
public sealed record RecommendationRequest
{
    public string? UserId { get; init; }

    /// <summary>Free text; ranked for by meaning, and only items whose own words contain the query's main noun come back when any do.</summary>
    public string? Query { get; init; }

    /// <summary>Rank for items like this one (its reviewers' other items, its content).</summary>
    public string? LikeItemId { get; init; }

    public int K { get; init; } = 10;

    public double Diversity { get; init; }

    public decimal? MinPrice { get; init; }

    public decimal? MaxPrice { get; init; }

    /// <summary>Items whose category path or title contains one of these (lower case, singular) are left out.</summary>
    public IReadOnlyList<string> ExcludeCategories { get; init; } = [];

    /// <summary>Items never to return (on top of what the user reviewed or gave feedback on).</summary>
    public IReadOnlySet<string> ExcludeItems { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>A user's profile as it was read for this request: every later step uses this, never a newer read.</summary>
public sealed record ProfileSnapshot(InterestProfile Profile, IReadOnlyList<Review> Reviews, IReadOnlyList<Feedback> Feedback)
{
    public string UserId => Profile.UserId;

    public int Version => Profile.Version;
}

/// <summary>One recommended item with what the rest of the request needs about it.</summary>
public sealed record RecommendedItem(Recommendation Recommendation, Item Item, ItemDescription? Description);

/// <summary>
/// The answer to one request, carrying everything downstream needs (explanation, caching, the API and CLI mapping):
/// the profile snapshot, the items with their rows, their reasons, and the items the reasons name.
/// </summary>
public sealed record RecommendationResult
{
    public required RecommendationRequest Request { get; init; }

    public ProfileSnapshot? Profile { get; init; }

    /// <summary>The query as understood (plain text), for query requests.</summary>
    public string? Query { get; init; }

    public IReadOnlyList<RecommendedItem> Items { get; init; } = [];

    /// <summary>Items named by the reasons (the user's reviewed items behind collaborative and content reasons), by id.</summary>
    public IReadOnlyDictionary<string, Item> Referenced { get; init; } = new Dictionary<string, Item>();

    /// <summary>The items of the user's own reviews, by id (to tell what kind of thing a quoted sentence was about).</summary>
    public IReadOnlyDictionary<string, Item> Reviewed { get; init; } = new Dictionary<string, Item>();

    /// <summary>How many items passed the filters (and the query match): fewer than K means the list is all there is.</summary>
    public int Matching { get; init; }

    /// <summary>Whether only items containing the query's main noun were eligible (false: none did, so meaning alone ranked).</summary>
    public bool QueryMatchedByWords { get; init; }

    /// <summary>The index the ranking used (changes with every <c>explainer index</c>).</summary>
    public string IndexStamp { get; init; } = string.Empty;

    /// <summary>The kinds of thing the catalogue sells (for telling praise of an item from talk of other gear).</summary>
    public Explaining.ProductKinds ProductKinds { get; init; } = Explaining.ProductKinds.None;

    /// <summary>How many items share each tag (to offer an item's recognisable tags first).</summary>
    public Explaining.TagVocabulary Tags { get; init; } = Explaining.TagVocabulary.None;

    public IReadOnlyList<Recommendation> Recommendations => [.. Items.Select(i => i.Recommendation)];
}
