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
        ExplanationScheduler explanations,
        CancellationToken cancellationToken,
        int k = 10,
        bool explain = false,
        double diversity = 0)
    {
        if (Validate(k, diversity) is { } invalid)
        {
            return TypedResults.ValidationProblem(invalid);
        }

        RecommendationResult result;
        try
        {
            result = await recommendations.RecommendAsync(new RecommendationRequest { UserId = id, K = k, Diversity = diversity }, cancellationToken).ConfigureAwait(false);
        }
        catch (NotFoundException)
        {
            return UserNotFound(id);
        }
        catch (RecommendationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        var texts = explain ? await explanations.ExplainAsync(result, cancellationToken).ConfigureAwait(false) : null;
        return TypedResults.Ok(RecommendationJson.From(result, texts));
    }

    public static async Task<Results<Ok<RecommendationsResponse>, ValidationProblem, ProblemHttpResult>> ForQueryAsync(
        QueryRecommendationsRequest request,
        RecommendationService recommendations,
        ExplanationScheduler explanations,
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

        RecommendationResult result;
        try
        {
            var exclude = request.Exclude is { Count: > 0 } ex ? ex.ToHashSet(StringComparer.Ordinal) : new HashSet<string>(StringComparer.Ordinal);
            result = await recommendations.RecommendAsync(new RecommendationRequest { Query = request.Query!, K = k, Diversity = diversity, ExcludeItems = exclude }, cancellationToken).ConfigureAwait(false);
        }
        catch (QueryNotUnderstoodException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = [ex.Message] }, title: "Query not understood");
        }
        catch (RecommendationException ex)
        {
            return TypedResults.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        // The query is echoed as it was understood: plain text, markup removed.
        var texts = request.Explain == true ? await explanations.ExplainAsync(result, cancellationToken).ConfigureAwait(false) : null;
        return TypedResults.Ok(RecommendationJson.From(result, texts));
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
}

internal static class Polarities
{
    public static string Name(Polarity p) => p == Polarity.Liked ? "liked" : "disliked";
}
