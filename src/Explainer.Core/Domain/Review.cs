namespace Explainer.Core.Domain;

/// <summary>A user's opinion of an item: a rating, and for review sites a summary and text.</summary>
public sealed record Review
{
    /// <summary>Natural key <c>user|item|unix-seconds</c>: re-ingesting the same file finds the same review.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string ItemId { get; init; }

    /// <summary>Star rating, 1–5 for Amazon, 0.5–5 for MovieLens.</summary>
    public required double Rating { get; init; }

    public string? Summary { get; init; }

    /// <summary>Review text; <c>null</c> for rating-only sources (MovieLens).</summary>
    public string? Text { get; init; }

    public required DateTimeOffset Time { get; init; }

    /// <summary>How many readers found the review helpful.</summary>
    public int HelpfulVotes { get; init; }

    /// <summary>How many readers voted at all (2014 layout only); <c>null</c> when unknown.</summary>
    public int? TotalVotes { get; init; }

    public static string MakeId(string userId, string itemId, DateTimeOffset time) =>
        $"{userId}|{itemId}|{time.ToUnixTimeSeconds()}";
}

/// <summary>A review without its text: what the collaborative models and priors need, read at a fraction of the cost.</summary>
public sealed record ReviewRating(string Id, string UserId, string ItemId, double Rating, DateTimeOffset Time)
{
    public static ReviewRating Of(Review review) => new(review.Id, review.UserId, review.ItemId, review.Rating, review.Time);
}
