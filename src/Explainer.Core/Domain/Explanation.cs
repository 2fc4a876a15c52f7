namespace Explainer.Core.Domain;

/// <summary>A stored "why recommended" text for one user and one item.</summary>
public sealed record Explanation
{
    /// <summary><c>user|item|promptVersion|model|profileVersion</c>: any change of a part makes a new key.</summary>
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string ItemId { get; init; }

    public required string Text { get; init; }

    /// <summary>Which engine wrote the text ("extractive", or "llm:&lt;model&gt;").</summary>
    public required string Engine { get; init; }

    /// <summary>Whether the text passed verification against its evidence.</summary>
    public bool Verified { get; init; }

    public IReadOnlyList<string> EvidenceIds { get; init; } = [];

    public required string PromptVersion { get; init; }

    public int ProfileVersion { get; init; }

    /// <summary>The model part of the key ("none" for the extractive engine).</summary>
    public string Model { get; init; } = "none";

    /// <summary>The kinds of the reasons the text states, in order (the first is the ranking's top reason when faithful).</summary>
    public IReadOnlyList<ReasonKind> Reasons { get; init; } = [];

    /// <summary>The user's sentences the text quotes: no sentence is quoted more than twice in one list.</summary>
    public IReadOnlyList<string> Quoted { get; init; } = [];

    /// <summary>Why earlier attempts were rejected by verification (empty when the first text passed).</summary>
    public IReadOnlyList<string> Rejected { get; init; } = [];

    public DateTimeOffset CreatedAt { get; init; }
}
