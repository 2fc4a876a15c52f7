using System.Text.RegularExpressions;

namespace Explainer.Core.Explaining;

/// <summary>Finding and cutting exact quotes from review sentences, and spotting text that is not fit to quote.</summary>
public static partial class Quotes
{
    /// <summary>Where <paramref name="phrase"/> occurs in <paramref name="sentence"/> as whole words (ignoring case), or -1.</summary>
    public static int IndexOfWords(string sentence, string phrase)
    {
        if (phrase.Length == 0)
        {
            return -1;
        }

        for (var at = sentence.IndexOf(phrase, StringComparison.OrdinalIgnoreCase); at >= 0; at = sentence.IndexOf(phrase, at + 1, StringComparison.OrdinalIgnoreCase))
        {
            var before = at == 0 || !char.IsLetterOrDigit(sentence[at - 1]);
            var end = at + phrase.Length;
            var after = end >= sentence.Length || !char.IsLetterOrDigit(sentence[end]);
            if (before && after)
            {
                return at;
            }
        }

        return -1;
    }

    /// <summary>
    /// The clause of <paramref name="sentence"/> around <paramref name="phrase"/> (between commas, dashes or brackets),
    /// at most <paramref name="maxWords"/> words, copied exactly: what a person would quote. Null when the phrase is not there.
    /// </summary>
    public static string? ClauseAround(string sentence, string phrase, int maxWords = 12)
    {
        var at = IndexOfWords(sentence, phrase);
        if (at < 0)
        {
            return null;
        }

        var start = at;
        while (start > 0 && !IsClauseBreak(sentence[start - 1]))
        {
            start--;
        }

        var end = at + phrase.Length;
        while (end < sentence.Length && !IsClauseBreak(sentence[end]))
        {
            end++;
        }

        var clause = sentence[start..end];
        var offset = at - start;
        var words = WordSpans().Matches(clause).ToList();
        if (words.Count > maxWords)
        {
            // Cut to the words around the phrase; an ellipsis marks each cut (the verifier checks the parts).
            var firstWord = words.FindIndex(w => w.Index + w.Length > offset);
            var lastWord = words.FindLastIndex(w => w.Index < offset + phrase.Length);
            var room = Math.Max(0, maxWords - (lastWord - firstWord + 1));
            var from = Math.Max(0, firstWord - (room / 3));
            var to = Math.Min(words.Count - 1, lastWord + (room - (firstWord - from)));
            from = Math.Max(0, Math.Min(from, to - maxWords + 1));

            // Cut where a reader can follow: start after a joining word ("... that this is a very good pedal" reads as
            // "... this is a very good pedal"), stop before one, and never end on a word that needs the next ("these strings is").
            var join = from > 0 && firstWord > from ? words.FindLastIndex(firstWord - 1, firstWord - from, w => Joins.Contains(w.Value.ToLowerInvariant())) : -1;
            if (join >= from)
            {
                from = join + 1;
            }

            var stop = to > lastWord ? words.FindIndex(lastWord + 1, to - lastWord, w => Joins.Contains(w.Value.ToLowerInvariant())) : -1;
            if (to < words.Count - 1 && stop > lastWord)
            {
                to = stop - 1;
            }

            while (to > lastWord && to < words.Count - 1 && Dangling.Contains(words[to].Value.ToLowerInvariant()))
            {
                to--;
            }

            // Room an early stop left goes to the start, back to the previous joining word ("... this is a very good pedal").
            while (from > 0 && to - from + 1 < maxWords && !Joins.Contains(words[from - 1].Value.ToLowerInvariant()))
            {
                from--;
            }

            var cut = Tidy(clause[words[from].Index..(words[to].Index + words[to].Length)]);
            return (from > 0 ? "... " : string.Empty) + cut + (to < words.Count - 1 ? " ..." : string.Empty);
        }

        return Tidy(clause);
    }

    private static readonly HashSet<string> Joins = new(StringComparer.Ordinal) { "that", "which", "who", "because", "and", "but", "so", "however", "when", "if", "while", "since", "although", "though" };

    private static readonly HashSet<string> Dangling = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "be", "the", "a", "an", "of", "to", "with", "for", "in", "on", "at", "my", "your", "this", "these", "that", "it's", "that's", "it", "i", "very", "really", "so", "as", "by", "from", "or", "not",
    };

    /// <summary>
    /// Whether a clause hedges or turns what it says ("if you're looking for a bright sound", "I haven't found a unit I
    /// feel comfortable with", "would not consider this a low gain overdrive", "but ..."): no quote to offer as praise,
    /// unless it is one of the set phrases of praise ("can't go wrong", "couldn't be happier").
    /// </summary>
    public static bool IsHedged(string clause)
    {
        var lower = clause.ToLowerInvariant().Replace('’', '\'');
        foreach (var idiom in PraiseIdioms)
        {
            lower = lower.Replace(idiom, " ", StringComparison.Ordinal); // the rest must still say it plainly
        }

        var words = Words(lower).ToList();
        return words.Any(w => Hedges.Contains(w) || w.EndsWith("n't", StringComparison.Ordinal)) || lower.Contains("looking for", StringComparison.Ordinal)
            || (words.Count > 0 && Unfinished.Contains(words[^1])); // unfinished: "One thing that's GREAT about these strings is" 
    }

    private static readonly HashSet<string> Hedges = new(StringComparer.Ordinal)
    {
        "if", "unless", "wish", "wished", "hope", "hoping", "hopefully", "probably", "maybe", "might", "perhaps", "may", "not", "never", "but", "however", "although", "though", "except",
        "havent", "hasnt", "isnt", "wasnt", "dont", "doesnt", "didnt", "cant", "wont", "wouldnt", "couldnt", "shouldnt", "would", "should", "will", "once",
    };

    private static readonly HashSet<string> Unfinished = new(StringComparer.Ordinal)
    {
        "is", "are", "was", "were", "the", "a", "an", "of", "to", "with", "for", "my", "your", "that's", "it's", "and", "or", "very", "about",
    };

    private static readonly string[] PraiseIdioms =
    [
        "can't beat", "can't go wrong", "couldn't be happier", "can't say enough", "not bad", "won't be disappointed", "wont be disappointed",
        "never had a problem", "never fails", "never let me down", "couldn't ask for", "would recommend", "would buy",
    ];

    /// <summary>What a text quotes of a sentence for a phrase: the clause around it, or the whole short sentence when the clause is a stub.</summary>
    public static string QuotedPart(string sentence, string phrase)
    {
        var clause = ClauseAround(sentence, phrase, 14) ?? phrase;
        return Words(clause).Count() < 3 && Words(sentence).Count() is > 2 and <= 14 ? Tidy(sentence) : clause;
    }

    /// <summary>Whether the clause around <paramref name="phrase"/> is quoted whole, not cut with an ellipsis.</summary>
    public static bool FitsWhole(string sentence, string phrase, int maxWords) =>
        ClauseAround(sentence, phrase, maxWords) is { } clause && !clause.StartsWith("...", StringComparison.Ordinal) && !clause.EndsWith("...", StringComparison.Ordinal);

    /// <summary>Trims spaces and the punctuation a quote should not start or end with.</summary>
    public static string Tidy(string text)
    {
        var t = text.Trim().Trim('"', '\'', '(', ')', '-', '.', '!', '?', ';', ':', ',', '*', ' ').Trim();

        // A clause that starts on a joining word reads as a fragment: "and I LOVE this tuner" is quoted "I LOVE this tuner".
        foreach (var join in LeadingJoins)
        {
            if (t.Length > join.Length + 8 && t.StartsWith(join, StringComparison.OrdinalIgnoreCase))
            {
                return t[join.Length..].TrimStart();
            }
        }

        return t;
    }

    private static readonly string[] LeadingJoins = ["and ", "plus "]; // not "but" (a hedge) nor "so" ("So far so good")

    /// <summary>Text that tries to instruct a model ("ignore previous instructions ...") or carries a link is never evidence.</summary>
    public static bool LooksLikeInstruction(string text) => Text.UntrustedText.IsUnfit(text);

    /// <summary>Words that claim a price: "free", "$20", "cheap"…; only the item's price data may support them.</summary>
    public static bool HasPriceClaim(string text) => PriceClaim().IsMatch(text);

    /// <summary>Content words of a text, lower-cased (letters and digits).</summary>
    public static IEnumerable<string> Words(string text) => WordSpans().Matches(text).Select(m => m.Value.ToLowerInvariant());

    private static bool IsClauseBreak(char c) => c is ',' or ';' or ':' or '(' or ')' or '"' or '!' or '?' or '.' or '—' or '–';

    [GeneratedRegex(@"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*")]
    private static partial Regex WordSpans();

    [GeneratedRegex(@"\bfree\b|\$\s?\d|\b\d+(\.\d+)?\s?(dollars|bucks|usd)\b|\b(cheap|cheaper|cheapest|inexpensive|bargain|discount|half price|price)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PriceClaim();
}
