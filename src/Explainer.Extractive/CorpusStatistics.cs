namespace Explainer.Extractive;

/// <summary>
/// What the extractive engine learns from the corpus: how many reviews each word and lemma appear in (for
/// TF-IDF), and how noun-like each word is — the share of its occurrences right after a determiner or an
/// adjective-like word ("the tone", "my capo") — which stands in for a part-of-speech tagger.
/// </summary>
internal sealed class CorpusStatistics
{
    private readonly Dictionary<string, int> _wordCount = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _afterDeterminer = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);

    public int Documents { get; private set; }

    public void Add(string text)
    {
        Documents++;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in TextSegmenter.Sentences(text))
        {
            var tokens = TextSegmenter.Tokens(sentence);
            for (var i = 0; i < tokens.Count; i++)
            {
                var w = tokens[i].Word;
                var afterDeterminer = i > 0 && (Lexicon.Determiners.Contains(tokens[i - 1].Word)
                    || (i > 1 && Lexicon.Determiners.Contains(tokens[i - 2].Word) && !Lexicon.IsStop(tokens[i - 1].Word)));
                Count(w, afterDeterminer);

                // Noun-likeness is judged on the lemma too: "filters" is often a verb, "filter" a noun.
                var lemma = Lemmas.Word(w);
                if (lemma != w)
                {
                    Count(LemmaKey(lemma), afterDeterminer);
                }

                seen.Add(Lemmas.Word(w));
            }
        }

        foreach (var lemma in seen)
        {
            _documentFrequency[lemma] = _documentFrequency.GetValueOrDefault(lemma) + 1;
        }
    }

    private void Count(string key, bool afterDeterminer)
    {
        _wordCount[key] = _wordCount.GetValueOrDefault(key) + 1;
        if (afterDeterminer)
        {
            _afterDeterminer[key] = _afterDeterminer.GetValueOrDefault(key) + 1;
        }
    }

    /// <summary>How often the word occurs in the corpus.</summary>
    public int Count(string word) => _wordCount.GetValueOrDefault(word);

    /// <summary>
    /// Noun-like: follows a determiner often enough ("the tone", "my capo"). Words seen once are not trusted at
    /// all (mostly typos: "hen", "ans"); words seen a few times need a noun suffix or a determiner most of the time.
    /// </summary>
    public bool IsNounLike(string word)
    {
        var lemma = Lemmas.Word(word);
        if (lemma != word && IsNounLikeForm(lemma))
        {
            return true;
        }

        return IsNounLikeForm(word);
    }

    private static string LemmaKey(string lemma) => "\u0001" + lemma;

    private bool IsNounLikeForm(string word)
    {
        var count = _wordCount.GetValueOrDefault(word) + _wordCount.GetValueOrDefault(LemmaKey(word));
        var ratio = count == 0 ? 0 : (double)(_afterDeterminer.GetValueOrDefault(word) + _afterDeterminer.GetValueOrDefault(LemmaKey(word))) / count;

        // A gerund is a noun only when it is mostly used as one ("the tuning"), not "weird sounding".
        var needed = word.EndsWith("ing", StringComparison.Ordinal) ? 0.5 : 0.25;
        return count switch
        {
            >= 6 => ratio >= needed,
            >= 2 => ratio >= 0.5 || (ratio > 0 && NounSuffixes.Any(s => word.EndsWith(s, StringComparison.Ordinal))),
            _ => false,
        };
    }

    /// <summary>A word that may modify a head noun: known to the corpus (not a typo), singular, not a superlative.</summary>
    public bool IsModifier(string word) =>
        _wordCount.GetValueOrDefault(word) >= 2
        && Lemmas.Word(word) == word // plurals rarely modify: "prices pop filters"
        && !(word.EndsWith("est", StringComparison.Ordinal) && word.Length > 5); // superlatives: "lowest prices"

    /// <summary>Smoothed inverse document frequency of a lemma, ln((1 + N) / (1 + df)) + 1.</summary>
    public double Idf(string lemma) => Math.Log((1.0 + Documents) / (1.0 + _documentFrequency.GetValueOrDefault(lemma))) + 1;

    private static readonly string[] NounSuffixes = ["tion", "sion", "ment", "ness", "ity", "ance", "ence", "ism", "ship", "ure", "age", "er", "or", "ist"];
}
