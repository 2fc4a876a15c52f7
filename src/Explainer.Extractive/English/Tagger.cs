namespace Explainer.Extractive.English;

/// <summary>A word of a sentence with its part-of-speech tag (Penn Treebank tags, as Brill's lexicon uses).</summary>
internal readonly record struct TaggedToken(string Word, string Original, string Tag, int Start, int Length)
{
    public bool IsNoun => Tag is "NN" or "NNS" or "NNP" or "NNPS";

    public bool IsCommonNoun => Tag is "NN" or "NNS";

    public bool IsAdjective => Tag is "JJ" or "JJR" or "JJS";

    public bool IsVerb => Tag.StartsWith("VB", StringComparison.Ordinal) && Tag != "VBG";

    public bool IsProperNoun => Tag is "NNP" or "NNPS";
}

/// <summary>
/// Part-of-speech tags in the manner of Brill's tagger: each word takes its most likely tag from the lexicon (unknown
/// words are guessed from their shape), then a few contextual rules fix the common confusions of review text ("the
/// sound" is a noun, "it sounds" a verb, "to tune" a verb). Written here because no tagger package is served; the
/// rules are the standard first transformations, not fitted to any catalogue.
/// </summary>
internal sealed class Tagger(EnglishLexicon lexicon, Func<string, bool>? properNoun = null)
{
    private static readonly HashSet<string> Pronouns = new(StringComparer.Ordinal) { "i", "you", "he", "she", "it", "we", "they", "this", "that", "which", "who" };
    private static readonly HashSet<string> Copulas = new(StringComparer.Ordinal) { "is", "are", "was", "were", "be", "been", "being", "am", "seems", "seem", "seemed", "looks", "look", "looked", "feels", "feel", "felt", "sounds", "sound", "sounded", "stays", "stay", "stayed", "became", "become", "becomes", "gets", "get", "got", "remains", "remain" };

    public IReadOnlyList<TaggedToken> Tag(string sentence, IReadOnlyList<Token> tokens)
    {
        var result = new TaggedToken[tokens.Count];
        var options = new IReadOnlyList<string>[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            var original = sentence.Substring(tokens[i].Start, tokens[i].Length);
            var tags = Lookup(original, tokens[i].Word, i == 0);
            options[i] = tags;
            result[i] = new TaggedToken(tokens[i].Word, original, tags[0], tokens[i].Start, tokens[i].Length);
        }

        for (var i = 0; i < result.Length; i++)
        {
            var t = result[i];
            var prev = i > 0 ? result[i - 1] : default;
            string? retag = null;

            // A determiner, possessive, adjective or number before a word that can be a noun: it is one ("the sound", "my tuner").
            if (i > 0 && (prev.Tag is "DT" or "PRP$" or "JJ" or "JJS" or "JJR" or "CD" or "POS" || prev.Word is "the" or "a" or "an" or "my" or "your" or "his" or "her" or "our" or "their" or "its")
                && t.IsVerb && Can(options[i], "NN", "NNS") is { } noun)
            {
                retag = noun;
            }

            // A personal pronoun or "this" before a word that can be a verb: it is one ("it sounds", "they hold").
            else if (i > 0 && Pronouns.Contains(prev.Word) && t.IsNoun && !t.IsProperNoun && Can(options[i], "VBZ", "VBP", "VBD") is { } verb)
            {
                retag = verb;
            }

            // After "to" or a modal: the base verb ("to tune", "will hold").
            else if (i > 0 && (prev.Tag is "TO" or "MD" || prev.Word is "to" or "will" or "would" or "can" or "could" or "should" or "must" or "might" or "cant" or "wont" or "dont" or "doesnt" or "didnt" or "ill" or "youll" or "theyll" or "itll" or "wed" or "youd")
                && !t.IsVerb && Can(options[i], "VB") is { } baseVerb)
            {
                retag = baseVerb;
            }

            // A noun, then a word that can be a verb, then (most likely) an adjective or adverb: "the guitar sounds great".
            else if (i > 0 && i + 1 < result.Length && prev.IsNoun && t.IsNoun && options[i + 1][0] is "JJ" or "RB" or "RBR"
                && Can(options[i], "VBZ", "VBP", "VBD") is { } predicate)
            {
                retag = predicate;
            }

            // A plural that can be a verb, before a determiner or pronoun: "and powers all of them", "it holds the".
            else if (t.Tag == "NNS" && i + 1 < result.Length && result[i + 1].Word is "all" or "the" or "a" or "an" or "my" or "your" or "it" or "them" or "me" or "this" or "that" or "these" or "those" or "every"
                && Can(options[i], "VBZ") is { } verbBeforeObject)
            {
                retag = verbBeforeObject;
            }

            // A plural subject, then a word that can be a verb, then a particle: "my picks fall out", "the strings wear off".
            else if (i > 0 && prev.Tag == "NNS" && t.IsNoun && i + 1 < result.Length && result[i + 1].Word is "out" or "up" or "off" or "down" or "apart" or "away" or "over" or "in"
                && Can(options[i], "VBP", "VB") is { } phrasal)
            {
                retag = phrasal == "VB" ? "VBP" : phrasal;
            }

            // "like": a verb after a subject or an adverb ("I like", "really like"), a preposition elsewhere ("sounds like").
            if (t.Word == "like")
            {
                retag = i > 0 && (Pronouns.Contains(prev.Word) || prev.Tag == "RB" || prev.Word is "dont" or "didnt" or "do" or "would") && prev.Word is not ("it" or "this" or "that") ? "VBP" : "IN";
            }

            // A gerund after a determiner or possessive is a noun ("the tuning stays", "my recording"), and so is one the
            // lexicon knows as a noun before a noun ("tuning pegs", "recording studio"); others stay verbs ("comparing strings").
            if (retag is null && t.Tag == "VBG" && ((i > 0 && (prev.Tag is "DT" or "PRP$" || prev.Word is "the" or "my" or "your" or "its" or "their" or "our"))
                || (i + 1 < result.Length && result[i + 1].IsCommonNoun && options[i].Contains("NN"))))
            {
                retag = "NN";
            }

            // A word capitalised mid-sentence that the corpus mostly writes capitalised is a name ("Fender", "Snark").
            if (i > 0 && char.IsUpper(t.Original[0]) && !IsAllCaps(t.Original) && properNoun?.Invoke(t.Word) == true && t.IsNoun)
            {
                retag = "NNP";
            }

            if (retag is not null)
            {
                result[i] = t with { Tag = retag };
            }
        }

        return result;
    }

    public static bool IsCopula(string word) => Copulas.Contains(word);

    private static bool IsAllCaps(string word) => word.Length > 1 && !word.Any(char.IsLower);

    private static string? Can(IReadOnlyList<string> options, params string[] tags) => options.FirstOrDefault(tags.Contains);

    private IReadOnlyList<string> Lookup(string original, string word, bool sentenceStart)
    {
        // Capitalised words are looked up as written first (proper nouns), except at the start of a sentence.
        var tags = sentenceStart ? lexicon.Tags(word) : lexicon.Tags(original);
        if (tags.Count == 0 && sentenceStart)
        {
            tags = lexicon.Tags(original);
        }

        if (tags.Count == 0 && original.Contains('\'', StringComparison.Ordinal))
        {
            tags = lexicon.Tags(original.Replace("'", string.Empty, StringComparison.Ordinal).ToLowerInvariant());
        }

        return tags.Count > 0 ? tags : [Guess(original, word, sentenceStart)];
    }

    /// <summary>The tag of a word the lexicon does not know, from its shape.</summary>
    private static string Guess(string original, string word, bool sentenceStart)
    {
        if (word.Any(char.IsDigit))
        {
            return word.All(c => char.IsDigit(c) || c is '.' or ',') ? "CD" : "NN"; // "SN-5", "9v" name things
        }

        if (!sentenceStart && char.IsUpper(original[0]))
        {
            return "NNP";
        }

        if (word.EndsWith("ly", StringComparison.Ordinal) && word.Length > 4)
        {
            return "RB";
        }

        if (word.EndsWith("ing", StringComparison.Ordinal) && word.Length > 5)
        {
            return "VBG";
        }

        if (word.EndsWith("ed", StringComparison.Ordinal) && word.Length > 4)
        {
            return "VBN";
        }

        if (word.EndsWith("ous", StringComparison.Ordinal) || word.EndsWith("ful", StringComparison.Ordinal) || word.EndsWith("ive", StringComparison.Ordinal) || word.EndsWith("able", StringComparison.Ordinal) || word.EndsWith("ish", StringComparison.Ordinal))
        {
            return "JJ";
        }

        return word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && word.Length > 3 ? "NNS" : "NN";
    }
}
