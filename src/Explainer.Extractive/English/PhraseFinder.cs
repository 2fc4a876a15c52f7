namespace Explainer.Extractive.English;

/// <summary>A noun phrase of a sentence and what the sentence says about it (-1..1; 0 when it says nothing either way).</summary>
internal sealed record FoundPhrase(string Text, string Lemma, string Head, double Sentiment, int FirstToken, int LastToken)
{
    /// <summary>A noun run that is not an interest ("pleasant change"): it still takes the opinion words nearest to it.</summary>
    public bool Rejected { get; init; }

    /// <summary>Something the writer has or uses ("my acoustic guitar", "I play bass"): an interest even without an opinion.</summary>
    public bool Owned { get; init; }
}

/// <summary>
/// Finds the things a review sentence talks about and how it feels about each, the opinion-mining way (Hu &amp; Liu,
/// KDD 2004): noun phrases from the part-of-speech tags, with their head a common noun, stripped of opinion and filler
/// words ("great tone" is the interest "tone", liked); polarity from the opinion words attached to the phrase first
/// (inside it, or after a copula: "the tone is warm"), else from the VADER score of its clause (clauses end at
/// punctuation and at "but", "although"...), so "a pleasant change from offensive artificial floral scents" dislikes
/// the scents and "their shrimp, which I didn't really care for" dislikes the shrimp. Lone adjectives, fragments
/// ending in a verb, words of set phrases ("worth every penny"), opinion nouns ("junk", "killer"), proper nouns and
/// purchase words ("shipping", "price") are never interests.
/// </summary>
internal sealed class PhraseFinder(EnglishLexicon lexicon, Func<string, bool>? properNoun = null)
{
    public const int MaxWords = 3;

    private readonly Tagger _tagger = new(lexicon, properNoun);
    private readonly Sentiment _sentiment = new(lexicon);

    public IReadOnlyList<FoundPhrase> Find(string sentence)
    {
        var tokens = TextSegmenter.Tokens(sentence);
        if (tokens.Count == 0)
        {
            return [];
        }

        var tagged = _tagger.Tag(sentence, tokens);
        var idioms = Idioms(tagged);
        var inIdiom = new bool[tagged.Count];
        foreach (var (start, length, _) in idioms)
        {
            for (var k = start; k < start + length; k++)
            {
                inIdiom[k] = true;
            }
        }

        var found = new List<FoundPhrase>();
        foreach (var (from, to) in Clauses(sentence, tokens, tagged))
        {
            var clause = tagged.Skip(from).Take(to - from).ToList();
            var clauseIdioms = idioms.Where(i => i.Start >= from && i.Start + i.Length <= to).Select(i => (i.Start - from, i.Length, i.Valence)).ToList();
            var valences = _sentiment.Valences(clause, clauseIdioms);
            var predicate = clause.Select(t => t.IsVerb || t.Tag is "RB" or "MD" or "RBR" || Sentiment.IsNegation(t.Word) || t.Word is "very" or "really" or "so" or "too").ToArray();

            // A wish is a complaint ("I wish the bracket were stronger"), and so is what one thought or expected ("I thought
            // I was using good cables"): the positive words describe what is missing. Not when the wish is for having
            // bought it sooner, or the hope was met ("exactly what I hoped", "better than I expected", "as I expected").
            if (IsUnmetExpectation(clause))
            {
                for (var k = 0; k < valences.Length; k++)
                {
                    valences[k] = valences[k] > 0 ? -valences[k] : valences[k];
                }
            }

            // A problem avoided is not a complaint ("w/o the possibility of stripping the screws", "prevents it from
            // slipping"): negative words after such a word say nothing bad about anything.
            if (Enumerable.Range(0, clause.Count).FirstOrDefault(k => ReviewWords.Avoiding.Contains(clause[k].Word), -1) is var avoid and >= 0)
            {
                for (var k = avoid + 1; k < valences.Length; k++)
                {
                    valences[k] = Math.Max(0, valences[k]);
                }
            }

            var phrases = NounRuns(clause, from, inIdiom).Select(r => Phrase(clause, valences, r.First - from, r.Last - from)).OfType<FoundPhrase>().ToList();
            foreach (var phrase in Attribute(phrases, valences, predicate, sentence.Count(c => c == '!')).Where(p => !p.Rejected))
            {
                found.Add(phrase with { FirstToken = phrase.FirstToken + from, LastToken = phrase.LastToken + from });
            }
        }

        return found;
    }

    private static bool IsUnmetExpectation(List<TaggedToken> clause)
    {
        if (clause.Any(t => t.Word is "wish" or "wished" or "wishing"))
        {
            return !clause.Any(t => t.Word is "sooner" or "earlier");
        }

        return Enumerable.Range(0, clause.Count - 1).Any(k =>
            clause[k].Word == "i" && clause[k + 1].Word is "thought" or "expected" or "hoped" or "assumed"
            && !(k > 0 && clause[k - 1].Word is "what" or "as" or "than"));
    }

    /// <summary>
    /// Each opinion word of the clause counts for the phrase nearest to it (Hu &amp; Liu's nearest-feature rule), unless
    /// a phrase holds opinion words of its own: "it makes a great reading lamp attached to a bed" likes the lamp and
    /// says nothing about the bed. Opinion words more than <see cref="Reach"/> words away reach no phrase; a phrase no
    /// opinion word reaches is neutral.
    /// </summary>
    private static IEnumerable<FoundPhrase> Attribute(List<FoundPhrase> phrases, double[] valences, bool[] predicate, int exclamations)
    {
        if (phrases.Count == 0)
        {
            yield break;
        }

        var attributed = new double[phrases.Count];
        for (var k = 0; k < valences.Length; k++)
        {
            if (valences[k] == 0 || phrases.Any(p => k >= p.FirstToken && k <= p.LastToken))
            {
                continue; // words inside a phrase were counted by it
            }

            var nearest = 0;
            for (var p = 1; p < phrases.Count; p++)
            {
                if (Distance(phrases[p], k) < Distance(phrases[nearest], k))
                {
                    nearest = p;
                }
            }

            // The subject before a predicate wins over a nearer object after it: "most winders don't work well with the keys".
            var subject = phrases.FindLastIndex(p => p.LastToken < k && Enumerable.Range(p.LastToken + 1, k - p.LastToken - 1).All(j => predicate[j]));
            if (subject >= 0)
            {
                nearest = subject;
            }

            if (Distance(phrases[nearest], k) <= Reach)
            {
                attributed[nearest] += valences[k];
            }
        }

        for (var p = 0; p < phrases.Count; p++)
        {
            // The phrase's own opinion words decide when there are any ("offensive artificial floral scents").
            var own = phrases[p].Sentiment;
            var total = own != 0 ? own : attributed[p];
            var sentiment = total == 0 ? 0 : Sentiment.Compound(total, exclamations);
            yield return phrases[p] with { Sentiment = Math.Abs(sentiment) < 0.05 ? 0 : Math.Round(sentiment, 4) };
        }
    }

    /// <summary>How many words away an opinion word may be from the phrase it is about ("the tone is warm and clear": 4).</summary>
    public const int Reach = 5;

    private static int Distance(FoundPhrase p, int token) => token < p.FirstToken ? p.FirstToken - token : token - p.LastToken;

    /// <summary>The phrase of a noun run, with the raw valence of the opinion words inside it (in its Sentiment, summed; <see cref="Attribute"/> normalises).</summary>
    private FoundPhrase? Phrase(List<TaggedToken> clause, double[] valences, int first, int last)
    {
        // The head is the last common noun of the run; opinion, filler, brand and number words before it are not part of the interest.
        while (last >= first && !clause[last].IsCommonNoun)
        {
            last--;
        }

        if (last < first)
        {
            return null; // adjectives alone ("sounds great"): their opinion goes to the nearest phrase
        }

        var rejected = new FoundPhrase(string.Empty, string.Empty, string.Empty, 0, first, last) { Rejected = true };
        double local = 0;
        var start = first;
        for (var k = first; k < last; k++)
        {
            local += valences[k];
        }

        // Evaluative words go ("great tone" is "tone"); mildly valenced descriptive ones stay ("warm tone", "solid build").
        while (start < last && (Math.Abs(lexicon.Valence(clause[start].Word)) >= 1.5 || Lexicon.IsStop(clause[start].Word) || Lexicon.Filler.Contains(clause[start].Word)
            || clause[start].IsProperNoun || clause[start].Tag == "CD" || clause[start].Tag is "JJS" or "RB"))
        {
            start++;
        }

        // A kept modifier's opinion ("warm") still counts for the polarity (it is in the local sum above).
        start = Math.Max(start, last - MaxWords + 1);
        var words = clause.Skip(start).Take(last - start + 1).Select(t => t.Word).ToList();
        var head = words[^1];

        // Another product, only compared with ("the original strings"), or a purchase word qualified by adjectives only
        // ("lower price", "top quality"; "sound quality" names a kind of quality and stays).
        // Comparatives point at other products too ("not better guitar strings"). The words just before the run count, as
        // stop words end a run ("four other cases").
        if (clause.Skip(Math.Max(0, first - 2)).Take(last - Math.Max(0, first - 2)).Any(t => ReviewWords.OtherProduct.Contains(t.Word) || t.Tag == "JJR")
            || (ReviewWords.NotInterests.Contains(head) && clause.Skip(start).Take(last - start).All(t => !t.IsCommonNoun || ReviewWords.NotInterests.Contains(t.Word))))
        {
            return rejected with { Sentiment = local };
        }
        if (head.Length < 3 || Lexicon.IsStop(head) || lexicon.Valence(head) is <= -1 or >= 1 || head.Any(char.IsDigit) || ReviewWords.NotProducts.Contains(head)
            || words.All(w => ReviewWords.NotInterests.Contains(w) || Lexicon.Filler.Contains(w) || Lexicon.IsStop(w)))
        {
            return rejected with { Sentiment = local };
        }

        var text = string.Join(' ', words);
        return new FoundPhrase(text, Lemmas.Of(text), Lemmas.Word(head), local, first, last) { Owned = IsOwned(clause, first) };
    }

    private static readonly HashSet<string> Possessives = new(StringComparer.Ordinal) { "my", "our", "mine" };
    private static readonly HashSet<string> UseVerbs = new(StringComparer.Ordinal) { "use", "used", "using", "uses", "play", "played", "playing", "plays", "own", "owned", "owns", "have", "had", "record", "recording", "gig", "gigging" };

    /// <summary>"my X", "on my X", "I play X", "I use X": the phrase names something the writer has or uses.</summary>
    private static bool IsOwned(List<TaggedToken> clause, int first)
    {
        for (var k = first - 1; k >= Math.Max(0, first - 3); k--)
        {
            var w = clause[k].Word;
            if (Possessives.Contains(w) || (UseVerbs.Contains(w) && k > 0 && clause[k - 1].Word is "i" or "we"))
            {
                return true;
            }

            if (!clause[k].IsAdjective && clause[k].Tag is not ("DT" or "RB" or "CD") && w is not ("the" or "a" or "an" or "both" or "all"))
            {
                break;
            }
        }

        return false;
    }

    /// <summary>Runs of words that can make a noun phrase: nouns and their modifiers, not crossing a set phrase.</summary>
    private static IEnumerable<(int First, int Last)> NounRuns(List<TaggedToken> clause, int offset, bool[] inIdiom)
    {
        var start = -1;
        for (var k = 0; k <= clause.Count; k++)
        {
            var fits = k < clause.Count && !inIdiom[k + offset] && !Lexicon.IsStop(clause[k].Word)
                && (clause[k].IsNoun || clause[k].IsAdjective || clause[k].Tag is "CD" or "VBN" or "JJS" or "FW");
            if (fits && start < 0)
            {
                start = k;
            }
            else if (!fits && start >= 0)
            {
                yield return (start + offset, k - 1 + offset);
                start = -1;
            }

            // A plural does not modify ("lowest prices pop filters" is two things): a run ends after a plural before another noun.
            if (fits && start >= 0 && clause[k].Tag == "NNS" && k + 1 < clause.Count && clause[k + 1].IsNoun)
            {
                yield return (start + offset, k + offset);
                start = -1;
            }
        }
    }

    /// <summary>Clauses as token ranges: split at punctuation between words and before a contrast word.</summary>
    private static List<(int From, int To)> Clauses(string sentence, List<Token> tokens, IReadOnlyList<TaggedToken> tagged)
    {
        var clauses = new List<(int, int)>();
        var from = 0;
        for (var k = 1; k < tokens.Count; k++)
        {
            if (TextSegmenter.BreakBetween(sentence, tokens[k - 1], tokens[k]) || Sentiment.IsContrast(tagged[k].Word))
            {
                clauses.Add((from, k));
                from = k;
            }
        }

        clauses.Add((from, tokens.Count));
        return clauses;
    }

    private static List<(int Start, int Length, double Valence)> Idioms(IReadOnlyList<TaggedToken> tokens)
    {
        var found = new List<(int, int, double)>();
        var taken = new bool[tokens.Count];
        foreach (var (words, valence) in ReviewWords.Idioms)
        {
            for (var i = 0; i + words.Length <= tokens.Count; i++)
            {
                var match = true;
                for (var k = 0; k < words.Length && match; k++)
                {
                    match = !taken[i + k] && tokens[i + k].Word == words[k];
                }

                if (match)
                {
                    found.Add((i, words.Length, valence));
                    for (var k = 0; k < words.Length; k++)
                    {
                        taken[i + k] = true;
                    }
                }
            }
        }

        return found;
    }
}
