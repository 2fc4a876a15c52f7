using Explainer.Core.Domain;

namespace Explainer.Core.Explaining;

/// <summary>What a piece of evidence is: the user's own sentence, another reviewer's sentence about the item, an item fact, or one of the user's reviewed items.</summary>
public enum EvidenceKind
{
    UserSentence,
    ItemSentence,
    ItemFact,
    HistoryItem,
}

/// <summary>
/// One citable piece of evidence: <c>u1</c>… (the user's sentences), <c>i1</c>… (the item's review sentences),
/// <c>h1</c>… (the user's reviewed items behind a reason), <c>f:title</c>, <c>f:category</c>, <c>f:brand</c>,
/// <c>f:price</c>, <c>f:reviews</c>, <c>f:feature1</c>… (item facts).
/// </summary>
public sealed record EvidencePiece(string Id, EvidenceKind Kind, string Text, string? Keyword = null, string? ReviewId = null);

/// <summary>
/// A content reason the explainer may state: the user cares about an aspect (their sentence saying so, positively)
/// and the item's reviewers are positive about the same aspect (one of their sentences), with the item's quality on it.
/// </summary>
public sealed record AspectLink(string Aspect, string Label, EvidencePiece User, string UserPhrase, EvidencePiece Item, string ItemPhrase, double Quality)
{
    /// <summary>The aspect is a quality ("tone"), not a kind of gear ("capo"): the text may call it "its tone".</summary>
    public bool Nameable { get; init; } = true;
}

/// <summary>The user's reviewed item behind a collaborative reason: its name, the counts, and (when they liked it) what they said.</summary>
public sealed record HistoryEvidence(EvidencePiece Piece, ItemName Name, HistoryLink Link, EvidencePiece? Said, string? SaidQuote)
{
    /// <summary>"reviewed" when the user wrote about it, "rated" when the data holds only their stars (MovieLens).</summary>
    public string Verb { get; init; } = HistoryVerbs.Reviewed;

    /// <summary>Its genres (MovieLens), for "like Cube, it is listed as Sci-Fi".</summary>
    public IReadOnlyList<string> Genres { get; init; } = [];

    /// <summary>0..1, how much it is the same kind of thing as the recommended item (category, kind, genres).</summary>
    public double Relatedness { get; init; }

    /// <summary>The user's own stars for it (in the piece's text, so a sentence may say them).</summary>
    public double? Rating { get; init; }

    /// <summary>"4.5", "5": the rating as the piece and the text write it.</summary>
    public string? Stars => Rating is { } r ? StarsOf(r) : null;

    public static string StarsOf(double rating) => rating.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>What the user did with an item of their history: the verb follows the data.</summary>
public static class HistoryVerbs
{
    public const string Reviewed = "reviewed";
    public const string Rated = "rated";

    /// <summary>The present tense ("review", "rate").</summary>
    public static string Present(string verb) => verb == Rated ? "rate" : "review";
}

/// <summary>
/// One reason of the ranking as the explanation may state it (<c>r1</c> is the largest contribution, <c>r2</c> the next…),
/// with the evidence gathered for it. A reason with no usable evidence is still listed (its kind and share are true),
/// so the writer can state it plainly.
/// </summary>
public sealed record StatedReason(string Id, ReasonKind Kind, double Share)
{
    public IReadOnlyList<HistoryEvidence> History { get; init; } = [];

    public IReadOnlyList<AspectLink> Links { get; init; } = [];

    /// <summary>Content: the user's reviewed items closest in meaning, named.</summary>
    public IReadOnlyList<(EvidencePiece Piece, ItemName Name, double Similarity)> Similar { get; init; } = [];

    /// <summary>Popularity: reviews and mean rating (also as the fact <c>f:reviews</c>).</summary>
    public int Reviewers { get; init; }

    public double MeanRating { get; init; }

    /// <summary>Query: the query's words the item holds.</summary>
    public IReadOnlyList<string> MatchedWords { get; init; } = [];

    /// <summary>Query: a reviewer's positive sentence about what the query asks for (or the item's best aspect).</summary>
    public AspectLink? ItemPraise { get; init; }
}

/// <summary>A matched keyword with its support on the user's side (kept for the LLM prompt and the feature-match metric).</summary>
public sealed record KeywordMatch(string Keyword, Polarity Polarity, double Contribution, double Similarity, string? UserPhrase, EvidencePiece? User, string? ItemPhrase, EvidencePiece? Item);

/// <summary>Everything an explanation of one recommendation may say, each piece with an id it can cite, and the reasons in the order the ranking gives them.</summary>
public sealed record ExplanationEvidence
{
    public required string ItemId { get; init; }

    /// <summary>The user's id, or null for a free-text query.</summary>
    public string? UserId { get; init; }

    /// <summary>The free-text query of a cold-start recommendation.</summary>
    public string? Query { get; init; }

    /// <summary>"rated" when the user's history holds only stars (MovieLens), else "reviewed".</summary>
    public string Verb { get; init; } = HistoryVerbs.Reviewed;

    /// <summary>What the text calls the item.</summary>
    public required ItemName Name { get; init; }

    /// <summary>The short name (kept for prompts and older callers).</summary>
    public string ItemName => Name.Short;

    public required Item Item { get; init; }

    /// <summary>The ranking's reasons, largest contribution first: the explanation states them in this order.</summary>
    public IReadOnlyList<StatedReason> Reasons { get; init; } = [];

    /// <summary>A reviewer's plain praise of the item's best-rated aspect (a fact about the item, not a reason), when it has one.</summary>
    public AspectLink? Praise { get; init; }

    /// <summary>Matched keywords, most contributing first.</summary>
    public IReadOnlyList<KeywordMatch> Matches { get; init; } = [];

    public IReadOnlyList<EvidencePiece> Pieces { get; init; } = [];

    /// <summary>Where the item stands in its list (0-based): the writer varies its phrasing along a list.</summary>
    public int Position { get; init; }

    public EvidencePiece? Find(string id) => Pieces.FirstOrDefault(p => string.Equals(p.Id, id, StringComparison.Ordinal));
}

/// <summary>Genres as tastes: "IMAX" is how a film was shown, not what it is like.</summary>
public static class Genres
{
    public static bool IsTaste(string genre) => !genre.Equals("IMAX", StringComparison.OrdinalIgnoreCase);
}
