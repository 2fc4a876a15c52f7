namespace Explainer.Core.Domain;

/// <summary>What a user said about a recommended item.</summary>
public enum FeedbackKind
{
    Like,
    Dislike,
    NotInterested,
}

/// <summary>One piece of feedback; the latest per (user, item) wins.</summary>
public sealed record Feedback
{
    /// <summary><c>user|item</c>.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string ItemId { get; init; }

    public required FeedbackKind Kind { get; init; }

    public DateTimeOffset Time { get; init; }
}
