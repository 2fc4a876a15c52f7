using System.Globalization;
using System.Numerics.Tensors;
using System.Text.RegularExpressions;
using Explainer.Core.Enrichment;

namespace Explainer.Core.Explaining;

/// <summary>One checked claim of an explanation and whether its evidence supports it.</summary>
public sealed record Claim(string Kind, string Text, bool Supported);

/// <summary>The outcome of checking an explanation against its evidence.</summary>
public sealed record VerificationResult(IReadOnlyList<Claim> Claims, IReadOnlyList<string> Problems, bool MentionsMatchedKeyword)
{
    /// <summary>Passes when there is something to check, every claim is supported and nothing else is wrong (the reasons included).</summary>
    public bool Passed => Claims.Count > 0 && Problems.Count == 0 && Claims.All(c => c.Supported);

    /// <summary>Share of claims the evidence supports (0 when there are none).</summary>
    public double GroundedPrecision => Claims.Count == 0 ? 0 : (double)Claims.Count(c => c.Supported) / Claims.Count;
}

/// <summary>
/// Checks an explanation against its evidence before it is stored:
/// <list type="bullet">
/// <item>cited ids exist;</item>
/// <item>each quoted span appears in a cited piece (ignoring case and spacing);</item>
/// <item>each evidence keyword the text mentions is in a cited piece (same lemma, or encoder similarity ≥ <see cref="SimilarityThreshold"/>);</item>
/// <item>each price claim ("free", "$12", "cheap") matches the item's price data ("free" only for a price of 0, "cheap" never);</item>
/// <item>each sentence's unquoted content words come from the evidence or the small vocabulary explanations are phrased with;</item>
/// <item>each number outside quotes is in a cited piece (co-reviewer counts, review counts, ratings);</item>
/// <item>the reasons the text declares are the ranking's, the first one first, and its first sentence does state that reason.</item>
/// </list>
/// </summary>
public sealed partial class ExplanationVerifier(PhraseVectors? vectors = null)
{
    public const double SimilarityThreshold = 0.75;

    public async Task<VerificationResult> VerifyAsync(ExplanationDraft draft, ExplanationEvidence evidence, CancellationToken cancellationToken)
    {
        var claims = new List<Claim>();
        var problems = new List<string>();
        var text = draft.Text ?? string.Empty;
        if (string.IsNullOrWhiteSpace(text))
        {
            problems.Add("empty text");
        }

        var cited = new List<EvidencePiece>();
        foreach (var id in draft.EvidenceIds.Distinct(StringComparer.Ordinal))
        {
            if (evidence.Find(id) is { } piece)
            {
                cited.Add(piece);
            }
            else
            {
                problems.Add($"cited id '{id}' does not exist");
            }
        }

        if (draft.EvidenceIds.Count == 0)
        {
            problems.Add("no evidence cited");
        }

        var citedText = Normalise(string.Join(" \n ", cited.Select(p => p.Text)));
        // Naming the item is always supported by its title (f:title), cited or not.
        var citedStems = cited.SelectMany(p => Quotes.Words(p.Text)).Concat(Quotes.Words(evidence.ItemName)).Concat(Quotes.Words(evidence.Item.Title ?? string.Empty))
            .Select(Stem).ToHashSet(StringComparer.Ordinal);
        var allStems = evidence.Pieces.SelectMany(p => Quotes.Words(p.Text))
            .Concat(Quotes.Words(evidence.ItemName)).Concat(Quotes.Words(evidence.Query ?? string.Empty))
            .Select(Stem).ToHashSet(StringComparer.Ordinal);

        // Quoted spans.
        foreach (Match q in Quoted().Matches(text))
        {
            // "... part ... part ..." : each part between ellipses must be in the cited evidence.
            var parts = q.Groups[1].Value.Replace("…", "...", StringComparison.Ordinal).Split("...", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(Normalise).Where(p => p.Length > 0).ToList();
            claims.Add(new Claim("quote", q.Groups[1].Value, parts.Count > 0 && parts.All(p => citedText.Contains(p, StringComparison.Ordinal))));
        }

        // Price claims anywhere (inside quotes too: a quote does not make "free" true of the item).
        foreach (Match p in PriceWords().Matches(text))
        {
            claims.Add(new Claim("price", p.Value, PriceSupported(p.Value, evidence)));
        }

        // Evidence keywords the text mentions.
        var keywords = evidence.Pieces.Select(p => p.Keyword).Concat(evidence.Matches.Select(m => m.Keyword))
            .OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var textStems = " " + string.Join(' ', Quotes.Words(text).Select(Stem)) + " ";
        foreach (var k in keywords)
        {
            var stems = " " + string.Join(' ', Quotes.Words(k).Select(Stem)) + " ";
            if (stems.Trim().Length > 0 && textStems.Contains(stems, StringComparison.Ordinal))
            {
                var supported = Quotes.Words(k).Select(Stem).All(citedStems.Contains)
                    || await SimilarToCitedAsync(k, cited, cancellationToken).ConfigureAwait(false);
                claims.Add(new Claim("keyword", k, supported));
            }
        }

        // Unquoted content, sentence by sentence.
        var unquoted = Quoted().Replace(text, " ");
        foreach (var sentence in SentenceBreak().Split(unquoted).Where(s => Quotes.Words(s).Any()))
        {
            var unknown = Quotes.Words(sentence).Where(w => w.Length > 2 && !Vocabulary.Contains(w) && !allStems.Contains(Stem(w))).ToList();
            claims.Add(new Claim("sentence", sentence.Trim(), unknown.Count == 0));
        }

        // Numbers outside quotes: counts and ratings must be the evidence's.
        var citedNumbers = cited.Concat(evidence.Pieces.Where(p => p.Kind == EvidenceKind.ItemFact)).SelectMany(p => Numbers().Matches(p.Text).Select(m => m.Value)).ToHashSet(StringComparer.Ordinal);
        foreach (Match n in Numbers().Matches(unquoted))
        {
            if (!PriceWords().IsMatch(text[Math.Max(0, n.Index - 1)..Math.Min(text.Length, n.Index + n.Length)]))
            {
                claims.Add(new Claim("number", n.Value, citedNumbers.Contains(n.Value)));
            }
        }

        // Reasons: the ones declared must be the ranking's, in its order for the first; and the first sentence must state it.
        if (evidence.Reasons.Count > 0)
        {
            var known = evidence.Reasons.Select(r => r.Id).ToHashSet(StringComparer.Ordinal);
            foreach (var r in draft.Reasons.Where(r => !known.Contains(r)))
            {
                problems.Add($"states reason '{r}', which the ranking does not give");
            }

            if (draft.Reasons.Count > 0 && draft.Reasons[0] != evidence.Reasons[0].Id)
            {
                problems.Add($"states {draft.Reasons[0]} first, but the top reason is {evidence.Reasons[0].Id} ({evidence.Reasons[0].Kind})");
            }

            var first = ExplanationChecker.FirstStated(ExplanationChecker.SentenceSplit(text, evidence).FirstOrDefault() ?? string.Empty, evidence);
            claims.Add(new Claim("reason", $"first sentence states {first?.ToString() ?? "no reason"}", first == evidence.Reasons[0].Kind));
        }

        var matched = evidence.Matches.Any(m => textStems.Contains(" " + string.Join(' ', Quotes.Words(m.Keyword).Select(Stem)) + " ", StringComparison.Ordinal));
        return new VerificationResult(claims, problems, matched);
    }

    private async Task<bool> SimilarToCitedAsync(string keyword, List<EvidencePiece> cited, CancellationToken cancellationToken)
    {
        if (vectors is null)
        {
            return false;
        }

        var others = cited.Select(p => p.Keyword).OfType<string>().ToList();
        if (others.Count == 0)
        {
            return false;
        }

        await vectors.EnsureAsync(others.Append(keyword), cancellationToken).ConfigureAwait(false);
        var v = vectors.Get(keyword);
        return v is not null && others.Any(o => vectors.Get(o) is { } w && TensorPrimitives.CosineSimilarity(v, w) >= SimilarityThreshold);
    }

    private static bool PriceSupported(string claim, ExplanationEvidence evidence)
    {
        var price = evidence.Item.Price;
        var lower = claim.ToLowerInvariant();
        if (lower == "free")
        {
            return price == 0;
        }

        var digits = NumberPart().Match(claim);
        return digits.Success && price is { } p
            && decimal.TryParse(digits.Value, NumberStyles.Number, CultureInfo.InvariantCulture, out var said)
            && Math.Abs(said - p) < 0.01m;
    }

    /// <summary>A light lemma: lower case, plural -s/-es/-ies folded ("strings" = "string", "batteries" = "battery").</summary>
    public static string Stem(string word)
    {
        var w = word.ToLowerInvariant();
        if (w.Length > 4 && w.EndsWith("ies", StringComparison.Ordinal))
        {
            return w[..^3] + "y";
        }

        if (w.Length > 3 && w.EndsWith('s') && !w.EndsWith("ss", StringComparison.Ordinal) && !w.EndsWith("us", StringComparison.Ordinal) && !w.EndsWith("is", StringComparison.Ordinal))
        {
            return w[..^1];
        }

        return w;
    }

    private static string Normalise(string s) => Whitespace().Replace(s.Replace('’', '\'').ToLowerInvariant(), " ").Trim();

    /// <summary>The words explanations are phrased with (framing, not claims about the item).</summary>
    private static readonly HashSet<string> Vocabulary = new(StringComparer.OrdinalIgnoreCase)
    {
        "the", "and", "you", "your", "yours", "its", "it's", "this", "that", "these", "those", "with", "for", "from", "about", "because", "since",
        "which", "why", "here", "there", "also", "too", "one", "owner", "owners", "reviewer", "reviewers", "people", "buyers", "bought", "who", "what",
        "wrote", "write", "writes", "said", "say", "says", "says", "mention", "mentions", "mentioned", "note", "notes", "noted", "found", "find", "puts",
        "put", "bring", "brings", "liked", "like", "likes", "love", "loved", "enjoyed", "care", "cared", "mattered", "matters", "interest", "interests",
        "interested", "picked", "pick", "suggest", "suggested", "recommend", "recommended", "recommending", "fits", "fit", "matches", "match", "matched",
        "relates", "related", "speaks", "answers", "point", "points", "stands", "out", "near", "close", "usually", "look", "looking", "led", "our", "are",
        "was", "were", "has", "have", "had", "been", "being", "will", "would", "may", "might", "could", "can", "should", "did", "does", "not", "but", "than",
        "then", "what", "when", "where", "while", "into", "onto", "over", "under", "item", "items", "product", "products", "words", "review", "reviews",
        "their", "they", "them", "his", "her", "she", "him", "our", "ours", "all", "any", "some", "more", "most", "much", "many", "very", "just", "same",
        "similar", "well", "way", "something", "someone", "other", "others", "another", "both", "each", "only", "based", "given", "thanks", "think",
        "seems", "seem", "might", "enjoy", "appreciate", "appreciated", "praised", "praise", "value", "valued", "want", "wanted", "need", "needed",
        "cost", "costs", "priced", "price", "sells", "sold", "at",
        "suit", "suits", "good", "choice", "option", "worth", "try", "consider", "also", "again", "say", "how", "get", "got", "let", "lets",

        // The extractive engine's phrasings of each reason.
        "other", "went", "shows", "often", "among", "keep", "keeps", "coming", "back", "fellow", "common", "next", "own", "going",
        "company", "frequent", "praised", "enjoyed", "goes", "history", "above", "follows", "owners", "gets", "single", "writes",
        "kind", "resembles", "suited", "talk", "talks", "reviewed", "reviewing", "closest", "meaning", "asked", "request", "less-known",
        "averaging", "stars", "average", "chose", "popular", "safe", "widely", "plenty", "scores", "signal", "standing", "things",
        "comes", "step", "person", "histories", "follow", "praise", "note", "gives", "closer", "every", "first", "ranked", "fits",
        "among", "picks", "come", "owner", "others", "went", "review", "reviews", "fellow", "company", "less", "known", "since", "which",
        "rated", "rate", "rates", "rating", "pleased", "answer", "resemble", "score", "show", "ratings", "gave", "star", "fans", "listed", "tags", "tag", "tagged", "include", "includes", "choose",
        "such", "included", "buyer", "buyer's", "verdict", "tend", "take", "includes", "history",
    };

    [GeneratedRegex("\"([^\"]{1,400})\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\bfree\b|\$\s?\d+(?:\.\d+)?|\b\d+(?:\.\d+)?\s?(?:dollars|bucks|usd)\b|\b(?:cheap|cheaper|cheapest|inexpensive|bargain|discount(?:ed)?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PriceWords();

    [GeneratedRegex(@"\d+(?:\.\d+)?")]
    private static partial Regex NumberPart();

    [GeneratedRegex(@"(?<![\w$.])\d+(?:\.\d+)?(?![\w%])")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"(?<=[.!?;:])\s+")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
