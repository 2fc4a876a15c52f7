namespace Explainer.Extractive.English;

/// <summary>
/// VADER's sentiment rules (Hutto &amp; Gilbert, ICWSM 2014) over the tokens of a clause: each word's lexicon valence,
/// boosted or damped by degree adverbs before it ("very", "slightly"), flipped by a negation up to three words before
/// it ("didn't really care for"), emphasised in capitals, and weighed toward what follows a "but"; set phrases
/// (<see cref="ReviewWords.Idioms"/>) count as one word. The compound score is VADER's normalisation to -1..1.
/// Written from the published algorithm (and the Apache-2.0 JavaScript port in npm <c>vader-sentiment</c>) because no
/// .NET implementation is served; the lexicon is VADER's own.
/// </summary>
internal sealed class Sentiment(EnglishLexicon lexicon)
{
    private const double BoostUp = 0.293;
    private const double BoostDown = -0.293;
    private const double CapsBoost = 0.733;
    private const double NegationScale = -0.74;

    private static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt", "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt",
        "mustnt", "neither", "neednt", "never", "none", "nope", "nor", "not", "nothing", "nowhere", "oughtnt", "shant", "shouldnt",
        "wasnt", "werent", "without", "wont", "wouldnt", "rarely", "seldom", "despite", "no", "lack", "lacks", "lacking", "hardly", "barely",
    };

    private static readonly Dictionary<string, double> Boosters = new(StringComparer.Ordinal)
    {
        ["absolutely"] = BoostUp, ["amazingly"] = BoostUp, ["awfully"] = BoostUp, ["completely"] = BoostUp, ["considerably"] = BoostUp,
        ["decidedly"] = BoostUp, ["deeply"] = BoostUp, ["enormously"] = BoostUp, ["entirely"] = BoostUp, ["especially"] = BoostUp,
        ["exceptionally"] = BoostUp, ["extremely"] = BoostUp, ["fabulously"] = BoostUp, ["fully"] = BoostUp, ["greatly"] = BoostUp,
        ["highly"] = BoostUp, ["hugely"] = BoostUp, ["incredibly"] = BoostUp, ["intensely"] = BoostUp, ["majorly"] = BoostUp,
        ["more"] = BoostUp, ["most"] = BoostUp, ["particularly"] = BoostUp, ["purely"] = BoostUp, ["quite"] = BoostUp, ["really"] = BoostUp,
        ["remarkably"] = BoostUp, ["so"] = BoostUp, ["substantially"] = BoostUp, ["thoroughly"] = BoostUp, ["totally"] = BoostUp,
        ["tremendously"] = BoostUp, ["unbelievably"] = BoostUp, ["unusually"] = BoostUp, ["utterly"] = BoostUp, ["very"] = BoostUp,
        ["super"] = BoostUp, ["pretty"] = BoostUp * 0.5, ["almost"] = BoostDown, ["barely"] = BoostDown, ["hardly"] = BoostDown,
        ["kinda"] = BoostDown, ["less"] = BoostDown, ["little"] = BoostDown, ["marginally"] = BoostDown, ["occasionally"] = BoostDown,
        ["partly"] = BoostDown, ["scarcely"] = BoostDown, ["slightly"] = BoostDown, ["somewhat"] = BoostDown, ["sorta"] = BoostDown,
    };

    private static readonly HashSet<string> Contrasts = new(StringComparer.Ordinal) { "but", "however", "although", "though", "except", "whereas", "yet" };

    /// <summary>Per token of <paramref name="tokens"/>: its valence in context (0 for words without sentiment).</summary>
    public double[] Valences(IReadOnlyList<TaggedToken> tokens, IReadOnlyList<(int Start, int Length, double Valence)> idioms)
    {
        var valences = new double[tokens.Count];
        var capsDifferential = tokens.Count(t => IsAllCaps(t.Original)) is var caps && caps > 0 && caps < tokens.Count;
        var inIdiom = new bool[tokens.Count];
        foreach (var (start, length, valence) in idioms)
        {
            for (var k = start; k < start + length; k++)
            {
                inIdiom[k] = true;
            }

            valences[start + length - 1] = valence;
        }

        for (var i = 0; i < tokens.Count; i++)
        {
            if (inIdiom[i])
            {
                continue;
            }

            var word = tokens[i].Word;

            // An -ly adverb right before an adjective says how much, not how good ("shockingly low", "ridiculously easy").
            var degree = tokens[i].Tag == "RB" && word.EndsWith("ly", StringComparison.Ordinal) && i + 1 < tokens.Count && tokens[i + 1].IsAdjective;
            if (Boosters.ContainsKey(word) || degree || !lexicon.HasValence(word) || (word == "like" && tokens[i].Tag == "IN"))
            {
                continue;
            }

            var v = lexicon.Valence(word);
            if (capsDifferential && IsAllCaps(tokens[i].Original))
            {
                v += v > 0 ? CapsBoost : -CapsBoost;
            }

            for (var back = 1; back <= 3 && i - back >= 0; back++)
            {
                var before = tokens[i - back].Word;
                if (lexicon.HasValence(before) && !Negations.Contains(before))
                {
                    continue;
                }

                var boostOf = Boosters.TryGetValue(before, out var boost) || (tokens[i - back].Tag == "RB" && before.EndsWith("ly", StringComparison.Ordinal) && back == 1 && (boost = BoostUp) > 0);
                if (boostOf)
                {
                    var scalar = (v < 0 ? -boost : boost) * (back == 1 ? 1 : back == 2 ? 0.95 : 0.9);
                    v += scalar;
                }

                if (Negations.Contains(before) && !(before == "never" && back < 3 && tokens[i - back + 1].Word is "so" or "this"))
                {
                    v *= NegationScale;
                }
            }

            if (i > 0 && tokens[i - 1].Word == "least" && (i < 2 || tokens[i - 2].Word is not ("at" or "very")))
            {
                v *= NegationScale;
            }

            valences[i] = v;
        }

        // "too" before an adjective is a complaint, whatever the adjective ("too easy", "too small"): VADER has no rule for it.
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i - 1].Word == "too" && (tokens[i].IsAdjective || tokens[i].Tag is "RB") && !inIdiom[i])
            {
                valences[i] = -Math.Max(1.2, Math.Abs(valences[i]));
            }
        }

        // What follows a contrast weighs more than what comes before it ("nice finish, but the tuners slip").
        var contrast = Enumerable.Range(0, tokens.Count).FirstOrDefault(i => Contrasts.Contains(tokens[i].Word), -1);
        if (contrast >= 0)
        {
            for (var i = 0; i < tokens.Count; i++)
            {
                valences[i] *= i < contrast ? 0.5 : i > contrast ? 1.5 : 1;
            }
        }

        return valences;
    }

    /// <summary>VADER's compound score of a sum of valences (plus emphasis from exclamation marks), in -1..1.</summary>
    public static double Compound(double sum, int exclamations = 0)
    {
        if (sum != 0)
        {
            sum += Math.Sign(sum) * Math.Min(exclamations, 4) * 0.292;
        }

        return Math.Clamp(sum / Math.Sqrt((sum * sum) + 15), -1, 1);
    }

    public static bool IsContrast(string word) => Contrasts.Contains(word);

    public static bool IsNegation(string word) => Negations.Contains(word);

    private static bool IsAllCaps(string word) => word.Length > 1 && word.Any(char.IsUpper) && !word.Any(char.IsLower);
}
