namespace Explainer.Extractive;

/// <summary>A candidate keyword in a sentence: its words and where they are.</summary>
internal readonly record struct Candidate(string Text, int SentenceIndex, int FirstToken, int LastToken);

/// <summary>
/// Noun-phrase-like candidates without a tagger: runs of content words (split at stop words and punctuation),
/// and within each run every 1–3-word n-gram whose first and last words are not stop words or filler and whose
/// last word (the head) is noun-like in this corpus.
/// </summary>
internal static class Candidates
{
    public const int MaxWords = 3;

    public static IEnumerable<Candidate> In(string sentence, List<Token> tokens, int sentenceIndex, CorpusStatistics corpus)
    {
        var runStart = 0;
        for (var i = 0; i <= tokens.Count; i++)
        {
            var ends = i == tokens.Count || Lexicon.IsStop(tokens[i].Word) || (i > runStart && TextSegmenter.BreakBetween(sentence, tokens[i - 1], tokens[i]));
            if (!ends)
            {
                continue;
            }

            foreach (var c in Grams(tokens, runStart, i, sentenceIndex, corpus))
            {
                yield return c;
            }

            runStart = i < tokens.Count && Lexicon.IsStop(tokens[i].Word) ? i + 1 : i;
        }
    }

    private static IEnumerable<Candidate> Grams(List<Token> tokens, int from, int to, int sentenceIndex, CorpusStatistics corpus)
    {
        for (var last = from; last < to; last++)
        {
            var head = tokens[last].Word;
            if (Lexicon.IsEdgeForbidden(head) || head.Length < 3 || !corpus.IsNounLike(head))
            {
                continue;
            }

            for (var first = last; first >= Math.Max(from, last - MaxWords + 1); first--)
            {
                var start = tokens[first].Word;
                if (first < last && !corpus.IsModifier(start))
                {
                    break; // a longer phrase would contain this word too
                }

                if (Lexicon.IsEdgeForbidden(start) || (start.Length < 2 && !char.IsDigit(start[0])))
                {
                    continue;
                }

                var words = tokens.GetRange(first, last - first + 1).Select(t => t.Word);
                yield return new Candidate(string.Join(' ', words), sentenceIndex, first, last);
            }
        }
    }
}
