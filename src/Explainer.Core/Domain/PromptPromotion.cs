namespace Explainer.Core.Domain;

/// <summary>
/// One move of a prompt's active label (a promote or a roll back): who, when, why, from which version to which. The
/// history is what a roll back reads and what the page and <c>prompts history</c> show.
/// </summary>
public sealed record PromptPromotion
{
    public const string Promote = "promote";
    public const string Rollback = "rollback";

    /// <summary><c>name|ticks|to-hash</c>: ordered by time within a prompt.</summary>
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary>The version that was active before (null when none was).</summary>
    public string? FromHash { get; init; }

    public required string ToHash { get; init; }

    /// <summary><see cref="Promote"/> or <see cref="Rollback"/>.</summary>
    public required string Action { get; init; }

    public required string By { get; init; }

    public string? Note { get; init; }

    public DateTimeOffset At { get; init; }
}
