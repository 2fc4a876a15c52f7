namespace Explainer.Core.Domain;

/// <summary>A person who writes reviews and receives recommendations.</summary>
public sealed record User
{
    public required string Id { get; init; }

    /// <summary>Display name when the source has one (Amazon's reviewerName); MovieLens users have none.</summary>
    public string? Name { get; init; }
}
