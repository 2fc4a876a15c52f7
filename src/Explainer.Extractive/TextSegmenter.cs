using System.Text.RegularExpressions;

namespace Explainer.Extractive;

/// <summary>A word of a sentence: lower-cased form and its place in the sentence's text.</summary>
internal readonly record struct Token(string Word, int Start, int Length);

/// <summary>Splits review text into sentences and sentences into words.</summary>
internal static partial class TextSegmenter
{
    /// <summary>Sentences, trimmed. Handles the missing space in "affordable.I did" that reviews are full of.</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        foreach (var part in SentenceBreak().Split(text))
        {
            var s = part.Trim();
            if (s.Length > 1)
            {
                yield return s;
            }
        }
    }

    public static List<Token> Tokens(string sentence)
    {
        var tokens = new List<Token>();
        foreach (Match m in WordPattern().Matches(sentence))
        {
            // "don't" -> "dont", "guitar's" -> "guitar": apostrophes only matter for negation and possessives.
            // "w/o" is "without" (a negation: "w/o the possibility of stripping the screws").
            var word = m.Value.Equals("w/o", StringComparison.OrdinalIgnoreCase) ? "without" : m.Value.ToLowerInvariant();
            if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
            {
                word = word[..^2];
            }

            word = word.Replace("'", string.Empty, StringComparison.Ordinal).Replace("’", string.Empty, StringComparison.Ordinal);
            if (word.Length > 0)
            {
                tokens.Add(new Token(word, m.Index, m.Length));
            }
        }

        return tokens;
    }

    /// <summary>Breaks between tokens that a phrase must not span: punctuation other than hyphens and apostrophes.</summary>
    public static bool BreakBetween(string sentence, Token a, Token b)
    {
        for (var i = a.Start + a.Length; i < b.Start; i++)
        {
            var c = sentence[i];
            if (!char.IsWhiteSpace(c) && c != '-')
            {
                return true;
            }
        }

        return false;
    }

    [GeneratedRegex(@"(?<=[.!?;:])\s+|(?<=[a-z][.!?])(?=[A-Z])|\n+|(?<=\))\s*(?=[A-Z])")]
    private static partial Regex SentenceBreak();

    [GeneratedRegex(@"\b[Ww]/[Oo]\b|[A-Za-z0-9]+(?:['’][A-Za-z]+)?(?:-[A-Za-z0-9]+)*")]
    private static partial Regex WordPattern();
}
