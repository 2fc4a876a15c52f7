using Explainer.Core.Domain;
using Explainer.Core.Recommending;

namespace Explainer.Api.Apis;

/// <summary>The one mapping from a recommendation result to its JSON shape, used by the API and by the CLI's <c>--json</c>.</summary>
public static class RecommendationJson
{
    public static RecommendationsResponse From(RecommendationResult result, IReadOnlyList<ExplanationDto>? explanations = null) =>
        new(result.Profile?.UserId ?? result.Request.UserId, result.Query, result.Profile?.Version, result.Matching,
        [.. result.Items.Select((x, i) => new RecommendationDto(
            x.Recommendation.Rank,
            x.Item.Id,
            x.Item.Title,
            x.Item.LeafCategory,
            x.Item.Price,
            x.Recommendation.Score,
            [.. x.Recommendation.Reasons.Select(r => Reason(r, result))],
            [.. x.Recommendation.MatchedKeywords.Select(m => new MatchedKeywordDto(m.Keyword, Polarities.Name(m.Polarity), m.Similarity, m.Contribution))],
            explanations?[i]))]);

    public static string KindName(ReasonKind kind) => kind switch
    {
        ReasonKind.Collaborative => "collaborative",
        ReasonKind.Content => "content",
        ReasonKind.Popularity => "popularity",
        ReasonKind.Discovery => "discovery",
        _ => "query",
    };

    private static ReasonDto Reason(Reason r, RecommendationResult result) => new(
        KindName(r.Kind),
        r.Share,
        r.Contribution,
        r.History.Count > 0 ? [.. r.History.Select(h => new HistoryLinkDto(h.ItemId, result.Referenced.GetValueOrDefault(h.ItemId)?.Title, h.CoReviewers, h.Reviewers, h.Contribution))] : null,
        r.Similar.Count > 0 ? [.. r.Similar.Select(s => new SimilarItemDto(s.ItemId, result.Referenced.GetValueOrDefault(s.ItemId)?.Title, s.Similarity))] : null,
        r.Kind is ReasonKind.Popularity or ReasonKind.Discovery ? r.Reviewers : null,
        r.Kind is ReasonKind.Popularity or ReasonKind.Discovery ? r.MeanRating : null,
        r.Kind == ReasonKind.Query ? r.MatchedWords : null);
}
