namespace Explainer.Extractive;

/// <summary>Where a phrase occurs in a text: the words as written there, their lemma and the sentence around them.</summary>
public sealed record GroundedPhrase(string Text, string Lemma, string Sentence);

/// <summary>
/// Checks text a model wrote against the text it was given, with the same sentence, word and lemma rules the
/// extractive engine uses, so that both engines agree on what "appears in the review" means.
/// </summary>
public static class Grounding
{
    /// <summary>Longest keyword accepted, in words.</summary>
    public const int MaxKeywordWords = 4;

    /// <summary>
    /// The first place <paramref name="phrase"/> occurs in <paramref name="text"/> as a run of consecutive words, each the
    /// same word or the same lemma ("pop filters" is found as "pop filter"), within one sentence; null when it does not.
    /// </summary>
    public static GroundedPhrase? Find(string phrase, string text)
    {
        var wanted = TextSegmenter.Tokens(phrase).Select(t => t.Word).ToList();
        if (wanted.Count == 0 || string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var lemmas = wanted.Select(Lemmas.Word).ToList();
        foreach (var sentence in TextSegmenter.Sentences(text))
        {
            var tokens = TextSegmenter.Tokens(sentence);
            for (var start = 0; start + wanted.Count <= tokens.Count; start++)
            {
                var match = true;
                for (var i = 0; i < wanted.Count && match; i++)
                {
                    var word = tokens[start + i].Word;
                    match = word == wanted[i] || Lemmas.Word(word) == lemmas[i];
                }

                if (match)
                {
                    var first = tokens[start];
                    var last = tokens[start + wanted.Count - 1];
                    var surface = sentence[first.Start..(last.Start + last.Length)].ToLowerInvariant();
                    return new GroundedPhrase(surface, Lemmas.Of(string.Join(' ', tokens.Skip(start).Take(wanted.Count).Select(t => t.Word))), sentence);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Whether a phrase has the shape of an interest: 1 to <see cref="MaxKeywordWords"/> words, not starting or ending with a
    /// stop word ("bought this"), and not made of filler alone ("great product"). Looser than the extractive candidates'
    /// edge rule, which also keeps filler off the edges: a model's "sound quality" is an interest.
    /// </summary>
    public static bool IsKeywordShaped(string phrase)
    {
        var words = TextSegmenter.Tokens(phrase).Select(t => t.Word).ToList();
        return words.Count is > 0 and <= MaxKeywordWords
            && !Lexicon.IsStop(words[0])
            && !Lexicon.IsStop(words[^1])
            && !words.All(w => Lexicon.IsStop(w) || Lexicon.Filler.Contains(w));
    }

    /// <summary>
    /// The content words (not stop words) of <paramref name="text"/> that do not occur, as the same word or lemma, in
    /// <paramref name="source"/>, and the share of content words that do (1 when there are none). A generated description
    /// that makes things up scores low, and a number it invents is listed.
    /// </summary>
    /// <summary>How many content words (not stop words) <paramref name="text"/> has.</summary>
    public static int ContentWordCount(string text) =>
        TextSegmenter.Sentences(text).SelectMany(TextSegmenter.Tokens).Count(t => !Lexicon.IsStop(t.Word));

    public static (double Support, IReadOnlyList<string> Unsupported) ContentWordSupport(string text, string source)
    {
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var sentence in TextSegmenter.Sentences(source))
        {
            foreach (var token in TextSegmenter.Tokens(sentence))
            {
                known.Add(token.Word);
                known.Add(Lemmas.Word(token.Word));
            }
        }

        var content = TextSegmenter.Sentences(text).SelectMany(TextSegmenter.Tokens).Select(t => t.Word).Where(w => !Lexicon.IsStop(w)).ToList();
        var unsupported = content.Where(w => !known.Contains(w) && !known.Contains(Lemmas.Word(w))).Distinct(StringComparer.Ordinal).ToList();
        var supported = content.Count(w => known.Contains(w) || known.Contains(Lemmas.Word(w)));
        return (content.Count == 0 ? 1 : (double)supported / content.Count, unsupported);
    }
}
