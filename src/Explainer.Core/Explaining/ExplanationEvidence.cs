using Explainer.Core.Domain;

namespace Explainer.Core.Explaining;

/// <summary>What a piece of evidence is: the user's own sentence, another reviewer's sentence about the item, or an item fact.</summary>
public enum EvidenceKind
{
    UserSentence,
    ItemSentence,
    ItemFact,
}

/// <summary>
/// One citable piece of evidence: <c>u1</c>… (the user's sentences), <c>i1</c>… (the item's review sentences),
/// <c>f:title</c>, <c>f:category</c>, <c>f:brand</c>, <c>f:price</c>, <c>f:feature1</c>… (item facts).
/// </summary>
public sealed record EvidencePiece(string Id, EvidenceKind Kind, string Text, string? Keyword = null, string? ReviewId = null);

/// <summary>
/// A matched keyword with its support on both sides: the user's phrase (their exact words) in one of their sentences,
/// and the item's closest keyword with a reviewer's sentence that says it.
/// </summary>
public sealed record KeywordMatch(
    string Keyword,
    Polarity Polarity,
    double Contribution,
    double Similarity,
    string? UserPhrase,
    EvidencePiece? User,
    string? ItemPhrase,
    EvidencePiece? Item);

/// <summary>Everything an explanation of one recommendation may say, each piece with an id it can cite.</summary>
public sealed record ExplanationEvidence
{
    public required string ItemId { get; init; }

    /// <summary>The user's id, or null for a free-text query.</summary>
    public string? UserId { get; init; }

    /// <summary>The free-text query of a cold-start recommendation.</summary>
    public string? Query { get; init; }

    /// <summary>A short name of the item (its title, shortened), what the text calls it.</summary>
    public required string ItemName { get; init; }

    public required Item Item { get; init; }

    /// <summary>Matched keywords, most contributing first.</summary>
    public IReadOnlyList<KeywordMatch> Matches { get; init; } = [];

    public IReadOnlyList<EvidencePiece> Pieces { get; init; } = [];

    public EvidencePiece? Find(string id) => Pieces.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));
}
