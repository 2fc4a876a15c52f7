using System.Text.Json.Serialization;

namespace Explainer.Api.Apis;

/// <summary>A keyword of the user's profile that the item matched, and what it added to the score.</summary>
public sealed record MatchedKeywordDto(string Keyword, string Polarity, double Similarity, double Contribution);

/// <summary>
/// Why an item was recommended. <c>status</c>: <c>ready</c> (text present), <c>pending</c> (still being generated
/// when the time budget ran out; ask again), <c>unavailable</c> (no explanation service configured in this build) or
/// <c>failed</c>.
/// </summary>
public sealed record ExplanationDto(string Status, string? Text = null, string? Engine = null, bool? Verified = null, IReadOnlyList<string>? Evidence = null, string? Detail = null)
{
    public const string Ready = "ready";
    public const string Pending = "pending";
    public const string Unavailable = "unavailable";
    public const string Failed = "failed";
}

/// <summary>One ranked item.</summary>
public sealed record RecommendationDto(
    int Rank,
    string ItemId,
    string? Title,
    string? Category,
    decimal? Price,
    double Score,
    IReadOnlyList<MatchedKeywordDto> MatchedKeywords,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplanationDto? Explanation);

/// <summary>A ranked list for a user or for a free-text query.</summary>
public sealed record RecommendationsResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Query,
    IReadOnlyList<RecommendationDto> Items);

/// <summary>Cold start: rank for free text.</summary>
public sealed record QueryRecommendationsRequest(string? Query, int? K, double? Diversity, bool? Explain, IReadOnlyList<string>? Exclude);

/// <summary>A like, dislike or not-interested: <c>kind</c> is <c>like</c>, <c>dislike</c> or <c>not-interested</c>.</summary>
public sealed record FeedbackRequest(string? ItemId, string? Kind);

/// <summary>What feedback did: the profile version after it (null when the user has no profile yet).</summary>
public sealed record FeedbackResponse(string UserId, string ItemId, string Kind, int? ProfileVersion);

public sealed record EvidenceDto(string ReviewId, string Sentence);

public sealed record KeywordDto(string Text, double Weight, string Polarity, IReadOnlyList<EvidenceDto> Evidence);

public sealed record TopicDto(string Label, IReadOnlyList<string> Keywords, double Weight);

public sealed record ProfileResponse(string UserId, int Version, string Engine, DateTimeOffset UpdatedAt, IReadOnlyList<TopicDto> Topics, IReadOnlyList<KeywordDto> Keywords);

public sealed record ItemResponse(
    string Id,
    string? Title,
    IReadOnlyList<string> Categories,
    decimal? Price,
    string? Brand,
    string? Description,
    string? DescriptionEngine,
    IReadOnlyList<KeywordDto> Keywords);

public sealed record HealthResponse(string Status, bool ExplanationsAvailable);
