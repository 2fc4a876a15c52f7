namespace Explainer.Extractive;

/// <summary>
/// What the extractive engine learns from the corpus: in how many reviews each lemma appears (for TF-IDF, and to
/// tell words from typos), and which words are names, written capitalised inside sentences most of the time
/// ("Fender", "Snark"), which the part-of-speech lexicon alone cannot tell from common nouns ("fender").
/// </summary>
internal sealed class CorpusStatistics
{
    private readonly Dictionary<string, int> _documentFrequency = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Capitalised, int All)> _midSentence = new(StringComparer.Ordinal);

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
                var t = tokens[i];
                seen.Add(Lemmas.Word(t.Word));
                if (i > 0)
                {
                    var capitalised = char.IsUpper(sentence[t.Start]) && !(t.Length > 1 && char.IsUpper(sentence[t.Start + 1]));
                    var had = _midSentence.GetValueOrDefault(t.Word);
                    _midSentence[t.Word] = (had.Capitalised + (capitalised ? 1 : 0), had.All + 1);
                }
            }
        }

        foreach (var lemma in seen)
        {
            _documentFrequency[lemma] = _documentFrequency.GetValueOrDefault(lemma) + 1;
        }
    }

    /// <summary>A name rather than a word: seen at least 3 times inside sentences, mostly capitalised there.</summary>
    public bool IsMostlyCapitalised(string word) => _midSentence.TryGetValue(word, out var c) && c.All >= 3 && c.Capitalised >= 0.6 * c.All;

    /// <summary>In how many reviews the lemma occurs.</summary>
    public int DocumentFrequency(string lemma) => _documentFrequency.GetValueOrDefault(lemma);

    /// <summary>Smoothed inverse document frequency of a lemma, ln((1 + N) / (1 + df)) + 1.</summary>
    public double Idf(string lemma) => Math.Log((1.0 + Documents) / (1.0 + _documentFrequency.GetValueOrDefault(lemma))) + 1;
}
