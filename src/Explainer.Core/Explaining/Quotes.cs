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
            var cut = Tidy(clause[words[from].Index..(words[to].Index + words[to].Length)]);
            return (from > 0 ? "... " : string.Empty) + cut + (to < words.Count - 1 ? " ..." : string.Empty);
        }

        return Tidy(clause);
    }

    /// <summary>Trims spaces and the punctuation a quote should not start or end with.</summary>
    public static string Tidy(string text) => text.Trim().Trim('"', '\'', '(', ')', '-', '.', '!', '?', ';', ':', ',', '*', ' ').Trim();

    /// <summary>Text that tries to instruct a model ("ignore previous instructions ...") or carries a link is never evidence.</summary>
    public static bool LooksLikeInstruction(string text) => Text.UntrustedText.IsUnfit(text);

    /// <summary>Words that claim a price: "free", "$20", "cheap"…; only the item's price data may support them.</summary>
    public static bool HasPriceClaim(string text) => PriceClaim().IsMatch(text);

    /// <summary>Content words of a text, lower-cased (letters and digits).</summary>
    public static IEnumerable<string> Words(string text) => WordSpans().Matches(text).Select(m => m.Value.ToLowerInvariant());

    private static bool IsClauseBreak(char c) => c is ',' or ';' or ':' or '(' or ')' or '"' or '!' or '?' or '.' or '—' or '–';

    [GeneratedRegex(@"[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*")]
    private static partial Regex WordSpans();

    [GeneratedRegex(@"\bfree\b|\$\s?\d|\b\d+(\.\d+)?\s?(dollars|bucks|usd)\b|\b(cheap|cheaper|cheapest|inexpensive|bargain|discount)\b", RegexOptions.IgnoreCase)]
    private static partial Regex PriceClaim();
}
