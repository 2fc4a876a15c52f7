using System.Text.Json.Serialization;

namespace Explainer.Api.Apis;

/// <summary>A keyword of the user's profile that the item matched, and what it added to the score.</summary>
public sealed record MatchedKeywordDto(string Keyword, string Polarity, double Similarity, double Contribution);

/// <summary>
/// Why an item was recommended. <c>status</c>: <c>ready</c> (text present), <c>pending</c> (still being generated
/// when the time budget ran out; ask again), <c>unavailable</c> (no explanation service configured in this build) or
/// <c>failed</c>.
/// </summary>
public sealed record ExplanationDto(
    string Status,
    string? Text = null,
    string? Engine = null,
    bool? Verified = null,
    IReadOnlyList<string>? Evidence = null,
    string? Detail = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Reasons = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? PromptVersion = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Model = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Rejected = null)
{
    public const string Ready = "ready";
    public const string Pending = "pending";
    public const string Unavailable = "unavailable";
    public const string Failed = "failed";

    public static ExplanationDto Of(Core.Domain.Explanation e) =>
        new(Ready, e.Text, e.Engine, e.Verified, e.EvidenceIds, null, [.. e.Reasons.Select(RecommendationJson.KindName)], e.PromptVersion, e.Model,
            e.Rejected.Count > 0 ? e.Rejected : null); // why the LLM's drafts were not used, when they were not
}

/// <summary>One of the user's items behind a collaborative reason: co-reviewers of the reviewers of it also reviewed the recommended item.</summary>
public sealed record HistoryLinkDto(string ItemId, string? Title, int CoReviewers, int Reviewers, double Contribution);

/// <summary>One of the user's reviewed items the recommended item is close to in content.</summary>
public sealed record SimilarItemDto(string ItemId, string? Title, double Similarity);

/// <summary>
/// A reason the item is recommended: its kind (collaborative, content, popularity, discovery, query), its share of the
/// positive contributions to the score, the contribution itself, and its evidence.
/// </summary>
public sealed record ReasonDto(
    string Kind,
    double Share,
    double Contribution,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<HistoryLinkDto>? History,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<SimilarItemDto>? Similar,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Reviewers,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] double? MeanRating,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? MatchedWords);

/// <summary>One ranked item.</summary>
public sealed record RecommendationDto(
    int Rank,
    string ItemId,
    string? Title,
    string? Category,
    decimal? Price,
    double Score,
    IReadOnlyList<ReasonDto> Reasons,
    IReadOnlyList<MatchedKeywordDto> MatchedKeywords,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] ExplanationDto? Explanation);

/// <summary>
/// A ranked list for a user or for a free-text query; the same shape from the API and from <c>explainer recommend --json</c>.
/// <c>matching</c> is how many items passed the filters and the query match: fewer than k means the list is all there is.
/// </summary>
public sealed record RecommendationsResponse(
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? UserId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Query,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? ProfileVersion,
    int Matching,
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
