namespace Explainer.Core.Domain;

/// <summary>A short factual description of an item and its own keywords, written by an engine.</summary>
public sealed record ItemDescription
{
    public required string ItemId { get; init; }

    public required string Text { get; init; }

    public IReadOnlyList<Keyword> Keywords { get; init; } = [];

    public required string Engine { get; init; }

    public required string InputHash { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }
}
