using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;

namespace Explainer.Api.Apis;

/// <summary><c>/v1/users/{id}/feedback</c> and <c>/v1/users/{id}/profile</c>.</summary>
public static class UsersApi
{
    public static RouteGroupBuilder MapUsersApi(this RouteGroupBuilder v1)
    {
        v1.MapPost("/users/{id}/feedback", FeedbackAsync)
            .WithName("PostFeedback")
            .WithSummary("Record like, dislike or not-interested; the stored profile changes at once and the item is never recommended again.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        v1.MapGet("/users/{id}/profile", Profile)
            .WithName("GetProfile")
            .WithSummary("A user's interest profile: keywords with weight, polarity and evidence, and interest topics.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return v1;
    }

    /// <summary>The accepted spellings of a feedback kind.</summary>
    public static IReadOnlyDictionary<string, FeedbackKind> Kinds { get; } = new Dictionary<string, FeedbackKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["like"] = FeedbackKind.Like,
        ["dislike"] = FeedbackKind.Dislike,
        ["not-interested"] = FeedbackKind.NotInterested,
    };

    public static async Task<Results<Ok<FeedbackResponse>, ValidationProblem, ProblemHttpResult>> FeedbackAsync(
        string id,
        FeedbackRequest request,
        FeedbackService feedback,
        IRecommenderStore store,
        CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.ItemId))
        {
            errors["itemId"] = ["The item id is required."];
        }
        else if (store.FindItem(request.ItemId) is null)
        {
            errors["itemId"] = [$"No item '{request.ItemId}' in the store."];
        }

        if (request.Kind is null || !Kinds.TryGetValue(request.Kind, out _))
        {
            errors["kind"] = ["kind must be one of: like, dislike, not-interested."];
        }

        if (store.FindUser(id) is null)
        {
            return RecommendationsApi.UserNotFound(id);
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var kind = Kinds[request.Kind!];

        // Not tied to the request: once started, the feedback and its profile are stored together or not at all.
        var profile = await feedback.ApplyAsync(id, request.ItemId!, kind, CancellationToken.None).ConfigureAwait(false);
        _ = cancellationToken;
        return TypedResults.Ok(new FeedbackResponse(id, request.ItemId!, request.Kind!.ToLowerInvariant(), profile?.Version));
    }

    public static Results<Ok<ProfileResponse>, ProblemHttpResult> Profile(string id, IRecommenderStore store)
    {
        if (store.FindUser(id) is null)
        {
            return RecommendationsApi.UserNotFound(id);
        }

        if (store.FindProfile(id) is not { } p)
        {
            return TypedResults.Problem($"User '{id}' has no interest profile yet: run `explainer enrich`.", statusCode: StatusCodes.Status409Conflict, title: "Not ready");
        }

        return TypedResults.Ok(new ProfileResponse(
            p.UserId,
            p.Version,
            p.Engine,
            p.UpdatedAt,
            [.. p.Topics.Select(t => new TopicDto(t.Label, t.Keywords, t.Weight))],
            [.. p.Keywords.Select(ToDto)]));
    }

    internal static KeywordDto ToDto(Keyword k) =>
        new(k.Text, k.Weight, Polarities.Name(k.Polarity), [.. k.Evidence.Select(e => new EvidenceDto(e.ReviewId, e.Sentence))]);
}
