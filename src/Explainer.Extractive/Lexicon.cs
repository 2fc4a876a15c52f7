namespace Explainer.Extractive;

/// <summary>Word lists the extractive engine needs. Hand-kept because no English NLP package is served here (see README).</summary>
internal static class Lexicon
{
    /// <summary>Function words: they split candidate phrases and never start or end one.</summary>
    public static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "almost", "along", "already", "also", "although", "always", "am", "among", "an", "and",
        "another", "any", "anyone", "anything", "anyway", "are", "around", "as", "at", "away", "back", "be", "because", "been", "before", "being", "below",
        "between", "both", "but", "by", "can", "cannot", "could", "did", "do", "does", "doing", "done", "down", "during", "each", "either", "else", "enough",
        "even", "ever", "every", "everything", "few", "for", "from", "further", "had", "has", "have", "having", "he", "her", "here", "hers", "herself",
        "him", "himself", "his", "how", "however", "i", "if", "in", "into", "is", "it", "its", "itself", "just", "least", "less", "let", "like", "many",
        "may", "me", "might", "more", "most", "much", "must", "my", "myself", "neither", "never", "no", "nor", "not", "now", "of", "off", "often", "on",
        "once", "one", "ones", "only", "onto", "or", "other", "others", "otherwise", "our", "ours", "ourselves", "out", "over", "own", "per", "perhaps",
        "quite", "rather", "really", "same", "several", "she", "should", "since", "so", "some", "someone", "something", "sometimes", "somewhat", "still",
        "such", "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this", "those", "though", "through",
        "thru", "thus", "to", "too", "toward", "towards", "under", "until", "up", "upon", "us", "very", "via", "was", "we", "well", "were", "what",
        "whatever", "when", "where", "whether", "which", "while", "who", "whom", "whose", "why", "will", "with", "within", "without", "would", "yet",
        "you", "your", "yours", "yourself", "yourselves", "im", "ive", "id", "ill", "youre", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "cant",
        "couldnt", "shouldnt", "wouldnt", "arent", "werent", "hasnt", "havent", "hadnt", "thats", "theres", "its", "lets", "etc", "ie", "eg", "ok", "okay",
        "yes", "yeah", "oh", "wow", "lol", "u", "ur", "got", "get", "gets", "getting", "go", "goes", "going", "gone", "went", "make", "makes", "making",
        "made", "put", "puts", "say", "says", "said", "see", "seen", "saw", "take", "takes", "took", "taken", "come", "comes", "came", "give", "gives",
        "gave", "given", "know", "knew", "known", "think", "thought", "want", "wanted", "wants", "need", "needed", "needs", "try", "tried", "trying",
        "seem", "seems", "seemed", "look", "looks", "looked", "looking", "feel", "feels", "felt", "find", "found", "keep", "kept", "keeps", "able",
        "sure", "definitely", "probably", "actually", "basically", "certainly", "especially", "exactly", "extremely", "fairly", "highly", "pretty",
        "simply", "totally", "truly", "absolutely", "completely", "fully", "easily", "usually", "maybe", "far", "first", "last", "next", "new", "old",
        "own", "two", "three", "four", "five", "ten", "lot", "lots", "bit", "thing", "things", "stuff", "way", "ways", "time", "times", "day", "days",
        "year", "years", "month", "months", "week", "weeks", "hour", "hours", "minute", "minutes", "today", "now", "ago", "yet", "instead", "else",
        "anyone", "everyone", "everybody", "nobody", "none", "whole", "kind", "sort", "type", "part", "point", "reason", "fact", "case", "place",
    };

    /// <summary>Review filler: words that make "great product" or "bought this", never an interest on their own or at a phrase's edge.</summary>
    public static readonly HashSet<string> Filler = new(StringComparer.Ordinal)
    {
        "great", "good", "nice", "excellent", "awesome", "amazing", "perfect", "best", "better", "fine", "cool", "fantastic", "wonderful", "super",
        "decent", "solid", "happy", "pleased", "satisfied", "glad", "love", "loved", "loves", "like", "liked", "likes", "recommend", "recommended",
        "highly", "product", "products", "item", "items", "purchase", "purchased", "buy", "buying", "bought", "order", "ordered", "amazon", "seller",
        "shipping", "shipped", "arrived", "review", "reviews", "star", "stars", "money", "price", "worth", "deal", "use", "used", "uses", "using",
        "work", "works", "worked", "working", "job", "does", "problem", "problems", "issue", "issues", "bad", "poor", "terrible", "awful", "horrible",
        "cheap", "expensive", "big", "small", "little", "large", "huge", "long", "short", "high", "low", "real", "right", "wrong", "different", "similar",
        "easy", "hard", "difficult", "simple", "quick", "fast", "slow", "overall", "general", "ok", "okay", "thanks", "thank", "lot", "stuff", "thing",
        "guy", "guys", "people", "person", "friend", "wife", "husband", "son", "daughter", "kid", "kids", "gift", "christmas", "birthday", "set",
        "quality", "value", "unit", "piece", "pieces", "product's", "nothing", "everything", "anything", "something", "one", "ones", "use", "need",
        "complaint", "complaints", "complain", "con", "cons", "pro", "pros", "downside", "downsides", "negative", "negatives", "positive", "positives",
    };

    /// <summary>Words that flip the polarity of a phrase that follows within a few words.</summary>
    public static readonly HashSet<string> Negations = new(StringComparer.Ordinal)
    {
        "not", "no", "never", "without", "lack", "lacks", "lacking", "dont", "doesnt", "didnt", "isnt", "wasnt", "wont", "cant", "couldnt",
        "wouldnt", "arent", "werent", "hardly", "barely", "zero", "nor",
    };

    /// <summary>Words that precede a noun; how often a word follows one tells how noun-like it is.</summary>
    public static readonly HashSet<string> Determiners = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "this", "that", "these", "those", "my", "your", "his", "her", "its", "our", "their", "some", "any", "each", "every",
        "no", "great", "good", "nice", "excellent", "the", "which", "what", "much", "more", "less", "of",
    };

    /// <summary>Words that mark a negative remark in an otherwise neutral (3-star) review.</summary>
    public static readonly HashSet<string> NegativeCues = new(StringComparer.Ordinal)
    {
        "bad", "poor", "poorly", "terrible", "awful", "horrible", "broke", "broken", "break", "breaks", "problem", "problems", "issue", "issues",
        "disappointed", "disappointing", "cheaply", "flimsy", "junk", "worst", "worse", "annoying", "unfortunately", "fails", "failed", "noisy",
        "hum", "buzz", "buzzing", "hiss", "crackle", "rattle", "defective", "returned", "return", "useless", "weak", "thin", "harsh", "muddy",
    };

    public static bool IsStop(string word) => StopWords.Contains(word);

    public static bool IsEdgeForbidden(string word) => StopWords.Contains(word) || Filler.Contains(word) || word.EndsWith("ly", StringComparison.Ordinal) || char.IsDigit(word[^1]) && word.Length < 2;
}
