namespace Explainer.Core.Domain;

/// <summary>Something that can be recommended: a product, a movie.</summary>
public sealed record Item
{
    public required string Id { get; init; }

    /// <summary>Human-readable title; <c>null</c> when only reviews mention the item and no metadata was ingested.</summary>
    public string? Title { get; init; }

    /// <summary>Category path from the root to the leaf (Amazon), or the genres (MovieLens).</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    public decimal? Price { get; init; }

    public string? Brand { get; init; }

    /// <summary>Free text the source gives (Amazon <c>description</c>), HTML entities decoded.</summary>
    public string? Description { get; init; }

    /// <summary>Named attributes, e.g. <c>feature</c>, <c>genre</c>, <c>tag</c>; each name holds its values in source order.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } =
        new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>The leaf category, the one most useful to show and to compare.</summary>
    public string? LeafCategory => Categories.Count > 0 ? Categories[^1] : null;
}
