using System.Globalization;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Explainer.Api.Apis;

/// <summary><c>/v1/users/{id}/recommendations</c> and <c>/v1/recommendations</c> (cold start).</summary>
public static class RecommendationsApi
{
    public static RouteGroupBuilder MapRecommendationsApi(this RouteGroupBuilder v1)
    {
        v1.MapGet("/users/{id}/recommendations", ForUserAsync)
            .WithName("GetUserRecommendations")
            .WithSummary("Rank unseen items for a user, each with the keywords it matched and (explain=true) why.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapPost("/recommendations", ForQueryAsync)
            .WithName("RecommendForQuery")
            .WithSummary("Cold start: rank items for free text, with no history.")
            .ProducesProblem(StatusCodes.Status409Conflict);
        return v1;
    }

    public static async Task<Results<Ok<RecommendationsResponse>, ValidationProblem, ProblemHttpResult>> ForUserAsync(
        string id,
        RecommendationService recommendations,
        IRecommenderStore store,
        ExplanationProvider explanations,
        CancellationToken cancellationToken,
        int k = 10,
        bool explain = false,
        double diversity = 0)
    {
        if (Validate(k, diversity) is { } invalid)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        if (store.FindUser(id) is null)
        {
            return UserNotFound(id);
        }

        IReadOnlyList<Recommendation> ranked;
        try
        {
            ranked = await recommendations.ForUserAsync(id, k, diversity, cancellationToken).ConfigureAwait(false);
        }
        catch (RecommendationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        var texts = explain ? await explanations.ForUserAsync(id, ranked, cancellationToken).ConfigureAwait(false) : null;
        return TypedResults.Ok(new RecommendationsResponse(id, null, ToDtos(ranked, store, texts)));
    }

    public static async Task<Results<Ok<RecommendationsResponse>, ValidationProblem, ProblemHttpResult>> ForQueryAsync(
        QueryRecommendationsRequest request,
        RecommendationService recommendations,
        IRecommenderStore store,
        ExplanationProvider explanations,
        IOptions<ApiOptions> options,
        CancellationToken cancellationToken)
    {
        var k = request.K ?? 10;
        var diversity = request.Diversity ?? 0;
        var errors = Validate(k, diversity) ?? new Dictionary<string, string[]>();
        var max = options.Value.MaxQueryLength;
        if (string.IsNullOrWhiteSpace(request.Query))
        {
            errors["query"] = ["The query is required."];
        }
        else if (request.Query.Length > max)
        {
            errors["query"] = [$"The query is longer than {max} characters."];
        }

        if (request.Exclude is { Count: > RecommendationService.MaxK * 10 })
        {
            errors["exclude"] = [$"At most {RecommendationService.MaxK * 10} item ids can be excluded."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        IReadOnlyList<Recommendation> ranked;
        try
        {
            var exclude = request.Exclude is { Count: > 0 } ex ? ex.ToHashSet(StringComparer.Ordinal) : null;
            ranked = await recommendations.ForQueryAsync(request.Query!, k, diversity, exclude, cancellationToken).ConfigureAwait(false);
        }
        catch (QueryNotUnderstoodException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = [ex.Message] }, title: "Query not understood");
        }
        catch (RecommendationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        // The query as it was understood: plain text, markup removed. Nothing else of the request is echoed.
        var query = Core.Text.UntrustedText.Clean(request.Query);
        var texts = request.Explain == true ? await explanations.ForQueryAsync(query, ranked, cancellationToken).ConfigureAwait(false) : null;
        return TypedResults.Ok(new RecommendationsResponse(null, query, ToDtos(ranked, store, texts)));
    }

    internal static ProblemHttpResult UserNotFound(string id) =>
        TypedResults.Problem($"No user '{id}' in the store.", statusCode: StatusCodes.Status404NotFound, title: "Unknown user");

    private static Dictionary<string, string[]>? Validate(int k, double diversity)
    {
        var errors = new Dictionary<string, string[]>();
        if (k is < 1 or > RecommendationService.MaxK)
        {
            errors["k"] = [$"k must be between 1 and {RecommendationService.MaxK.ToString(CultureInfo.InvariantCulture)}."];
        }

        if (double.IsNaN(diversity) || diversity is < 0 or > 1)
        {
            errors["diversity"] = ["diversity must be between 0 and 1."];
        }

        return errors.Count > 0 ? errors : null;
    }

    private static RecommendationDto[] ToDtos(IReadOnlyList<Recommendation> ranked, IRecommenderStore store, ExplanationDto[]? explanations) =>
        [.. ranked.Select((r, i) =>
        {
            var item = store.FindItem(r.ItemId);
            return new RecommendationDto(
                r.Rank,
                r.ItemId,
                item?.Title,
                item?.LeafCategory,
                item?.Price,
                r.Score,
                [.. r.MatchedKeywords.Select(m => new MatchedKeywordDto(m.Keyword, Polarities.Name(m.Polarity), m.Similarity, m.Contribution))],
                explanations?[i]);
        })];
}

internal static class Polarities
{
    public static string Name(Polarity p) => p == Polarity.Liked ? "liked" : "disliked";
}
