using System.Text.RegularExpressions;
using AvsAnLib;
using Explainer.Core.Domain;
using Humanizer;

namespace Explainer.Core.Explaining;

/// <summary>Reads a sentence into the aspects it talks about and how positively (the engine's own analysis, run afresh).</summary>
public interface IAspectReader
{
    IReadOnlyList<(string Aspect, double Sentiment)> Read(string sentence);
}

/// <summary>
/// What one explanation says, read from its text against its evidence (not from what the writer declared), so the
/// metrics built on it can fail: which reason its first sentence states, which content links it claims and whether
/// each holds (the user's and the reviewer's quoted sentences are about the same aspect, and the reviewer's is
/// positive), which of the user's sentences it quotes, its sentence skeletons, and its English errors.
/// </summary>
public sealed record ExplanationCheck(
    ReasonKind? TopReason,
    ReasonKind? FirstStated,
    int Links,
    int SupportedLinks,
    IReadOnlyList<string> QuotedUserSentences,
    IReadOnlyList<string> Skeletons,
    IReadOnlyList<string> EnglishErrors)
{
    /// <summary>The first stated reason is the ranking's top one (an explanation with no reason to state counts as faithful only when the ranking had none).</summary>
    public bool Faithful => FirstStated == TopReason;
}

/// <summary>Computes <see cref="ExplanationCheck"/>.</summary>
public static partial class ExplanationChecker
{
    /// <param name="cited">The evidence ids the writer cited: a quote found in several pieces ("good tone" in two of the
    /// user's sentences) is the cited one's; uncited, the shortest piece that holds it.</param>
    public static ExplanationCheck Check(string text, ExplanationEvidence evidence, IAspectReader? aspects, IReadOnlyCollection<string>? cited = null)
    {
        var sentences = SentenceSplit(text, evidence);
        var first = sentences.FirstOrDefault() ?? string.Empty;
        var quotedUser = new List<string>();
        var links = 0;
        var supported = 0;
        foreach (var sentence in sentences)
        {
            var quotes = Quoted().Matches(sentence).Select(m => m.Groups[1].Value).ToList();
            var user = quotes.Select(q => Source(q, evidence, EvidenceKind.UserSentence, cited)).OfType<EvidencePiece>().ToList();
            var item = quotes.Select(q => Source(q, evidence, EvidenceKind.ItemSentence, cited)).OfType<EvidencePiece>().ToList();
            quotedUser.AddRange(user.Select(p => p.Text));
            if (user.Count > 0 && item.Count > 0)
            {
                links++;
                if (aspects is not null && Supports(aspects, user[0].Text, item[0].Text))
                {
                    supported++;
                }
            }
        }

        return new ExplanationCheck(
            evidence.Reasons.Count > 0 ? evidence.Reasons[0].Kind : null,
            FirstStated(first, evidence),
            links,
            supported,
            [.. quotedUser.Distinct(StringComparer.Ordinal)],
            [.. sentences.Select(s => Skeleton(s, evidence))],
            EnglishErrors(text));
    }

    /// <summary>A link holds when both sentences are about one aspect and the reviewer's is positive about it.</summary>
    public static bool Supports(IAspectReader reader, string userSentence, string itemSentence)
    {
        var user = reader.Read(userSentence).Where(a => a.Sentiment >= 0).Select(a => a.Aspect).ToHashSet(StringComparer.Ordinal);
        return reader.Read(itemSentence).Any(a => a.Sentiment > 0 && user.Contains(a.Aspect));
    }

    /// <summary>Which reason a sentence states, from the evidence it uses.</summary>
    public static ReasonKind? FirstStated(string sentence, ExplanationEvidence evidence)
    {
        var lower = sentence.ToLowerInvariant();
        var quotes = Quoted().Matches(sentence).Select(m => m.Groups[1].Value).ToList();
        var userQuote = quotes.Any(q => Source(q, evidence, EvidenceKind.UserSentence) is not null);
        var itemQuote = quotes.Any(q => Source(q, evidence, EvidenceKind.ItemSentence) is not null);
        var unquoted = Quoted().Replace(lower, " ");

        foreach (var reason in evidence.Reasons)
        {
            switch (reason.Kind)
            {
                case ReasonKind.Collaborative when reason.History.Any(h => unquoted.Contains(h.Name.Short.ToLowerInvariant(), StringComparison.Ordinal))
                    && (CoCount().IsMatch(unquoted) || unquoted.Contains("history", StringComparison.Ordinal) || unquoted.Contains("review", StringComparison.Ordinal) || unquoted.Contains("rated", StringComparison.Ordinal)):
                    return ReasonKind.Collaborative;
                case ReasonKind.Collaborative when reason.History.Count == 0 && (unquoted.Contains("history like yours", StringComparison.Ordinal) || unquoted.Contains("histories like yours", StringComparison.Ordinal)):
                    return ReasonKind.Collaborative; // no history item to name (those behind it were rated 1-2 stars)
                case ReasonKind.Content when reason.Links.Count > 0 && userQuote && itemQuote:
                    return ReasonKind.Content;
                case ReasonKind.Content when reason.Similar.Any(s => unquoted.Contains(s.Name.Short.ToLowerInvariant(), StringComparison.Ordinal)):
                    return ReasonKind.Content;
                case ReasonKind.Popularity when evidence.Find("f:reviews") is not null && unquoted.Contains(reason.Reviewers.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal):
                    return ReasonKind.Popularity;
                case ReasonKind.Discovery when unquoted.Contains("less-known", StringComparison.Ordinal):
                    return ReasonKind.Discovery;
                case ReasonKind.Query when reason.MatchedWords.Any(w => lower.Contains($"\"{w}\"", StringComparison.Ordinal)) || unquoted.Contains("asked", StringComparison.Ordinal) || unquoted.Contains("request", StringComparison.Ordinal):
                    return ReasonKind.Query;
                case ReasonKind.Content when unquoted.Contains("you write", StringComparison.Ordinal) || unquoted.Contains("your reviews", StringComparison.Ordinal):
                    return ReasonKind.Content;
            }
        }

        return userQuote && itemQuote ? ReasonKind.Content : null;
    }

    /// <summary>The sentence with its names, quotes and numbers masked: two explanations with the same skeleton read as one template.</summary>
    public static string Skeleton(string sentence, ExplanationEvidence evidence)
    {
        var s = Quoted().Replace(sentence, "\"Q\"");
        var names = new[] { evidence.Name.Short }
            .Concat(evidence.Reasons.SelectMany(r => r.History.Select(h => h.Name.Short).Concat(r.Similar.Select(x => x.Name.Short))))
            .Concat(evidence.Reasons.SelectMany(r => r.Links.SelectMany(l => new[] { l.ItemPhrase, l.UserPhrase })))
            .Where(n => n.Length > 0).Distinct(StringComparer.Ordinal).OrderByDescending(n => n.Length);
        foreach (var name in names)
        {
            s = s.Replace(name, "N", StringComparison.OrdinalIgnoreCase);
        }

        s = Number().Replace(s, "#");
        return Spaces().Replace(s.ToLowerInvariant(), " ").Trim();
    }

    /// <summary>Article, number and doubled-determiner errors outside quotes: "the this item", "a tuners", "a item".</summary>
    public static IReadOnlyList<string> EnglishErrors(string text)
    {
        var unquoted = Quoted().Replace(text, " ");
        var errors = new List<string>();
        foreach (Match m in DoubledDeterminer().Matches(unquoted))
        {
            errors.Add(m.Value);
        }

        foreach (Match m in ArticleNoun().Matches(unquoted))
        {
            var article = m.Groups[1].Value.ToLowerInvariant();
            var word = m.Groups[2].Value;
            var lower = word.ToLowerInvariant();
            if (AvsAn.Query(lower).Article != article && !char.IsUpper(word[0]))
            {
                errors.Add(m.Value);
            }
            else if (lower.Length > 3 && lower.EndsWith('s') && !lower.EndsWith("ss", StringComparison.Ordinal) && lower.Singularize(inputIsKnownToBePlural: false) != lower
                && !KnownSingularInS.Contains(lower) && !char.IsUpper(word[0]))
            {
                errors.Add(m.Value);
            }
        }

        return errors;
    }

    private static readonly HashSet<string> KnownSingularInS = new(StringComparer.Ordinal) { "bass", "lens", "series", "news", "bus", "gas", "plus", "bonus", "chorus", "canvas", "focus", "status", "corpus", "chassis", "always" };

    private static EvidencePiece? Source(string quote, ExplanationEvidence evidence, EvidenceKind kind, IReadOnlyCollection<string>? cited = null)
    {
        var parts = quote.Replace("…", "...", StringComparison.Ordinal).Split("...", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(p => p.Length > 0).ToList();

        // Of the pieces holding the quote, a cited one (when the writer's citations are known, only those: a reviewer's
        // "Great tone" is not the user's uncited "Great tone and tuning stability"), else the shortest.
        return parts.Count == 0 ? null : evidence.Pieces.Where(p => p.Kind == kind && (cited is null || cited.Contains(p.Id)) && parts.All(part => Normalise(p.Text).Contains(Normalise(part), StringComparison.Ordinal)))
            .OrderBy(p => p.Text.Length).FirstOrDefault();
    }

    private static string Normalise(string s) => Spaces().Replace(s.Replace('’', '\'').ToLowerInvariant(), " ").Trim();

    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal) { "Mr", "Mrs", "Ms", "Dr", "St", "Jr", "Sr", "vs", "Vol", "No" };

    /// <summary>
    /// A stop that does not end the sentence: after an abbreviation or an initial ("Mrs. Doubtfire", "L.A. Confidential"),
    /// or a "!" or "?" inside a title that the sentence goes on after in lower case ("¡Three Amigos! also").
    /// </summary>
    private static bool InsideName(string text, int i)
    {
        var start = i;
        while (start > 0 && (char.IsLetter(text[start - 1]) || text[start - 1] == '.'))
        {
            start--;
        }

        var word = text[start..i];
        if (text[i] == '.' && (Abbreviations.Contains(word) || (word.Length > 0 && word.Split('.')[^1].Length == 1 && char.IsUpper(word[^1]))))
        {
            return true;
        }

        var next = i + 1;
        while (next < text.Length && char.IsWhiteSpace(text[next]))
        {
            next++;
        }

        return text[i] is '!' or '?' && next < text.Length && char.IsLower(text[next]);
    }

    /// <summary>
    /// Sentences of an explanation: a full stop, "!" or "?" before a space ends one, outside quotes only, and not inside
    /// one of <paramref name="evidence"/>'s names ("Hot Shots! Part Deux").
    /// </summary>
    public static List<string> SentenceSplit(string text, ExplanationEvidence? evidence = null)
    {
        var list = new List<string>();
        var start = 0;
        var inQuote = false;
        var inNames = NameSpans(text, evidence);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])) && !InsideName(text, i) && !inNames(i))
            {
                if (text[start..(i + 1)].Trim() is { Length: > 1 } s)
                {
                    list.Add(s);
                }

                start = i + 1;
            }
        }

        if (text[start..].Trim() is { Length: > 1 } rest)
        {
            list.Add(rest);
        }

        return list;
    }

    /// <summary>Whether a position of the text falls strictly inside a name the evidence gives (item, history items).</summary>
    private static Func<int, bool> NameSpans(string text, ExplanationEvidence? evidence)
    {
        if (evidence is null)
        {
            return _ => false;
        }

        var names = evidence.Reasons.SelectMany(r => r.History.Select(h => h.Name.Short).Concat(r.Similar.Select(x => x.Name.Short)))
            .Append(evidence.Name.Short).Where(n => n.AsSpan().IndexOfAny(['.', '!', '?']) >= 0).Distinct(StringComparer.Ordinal).ToList();
        var spans = new List<(int From, int To)>();
        foreach (var name in names)
        {
            for (var at = text.IndexOf(name, StringComparison.Ordinal); at >= 0; at = text.IndexOf(name, at + 1, StringComparison.Ordinal))
            {
                spans.Add((at, at + name.Length - 1));
            }
        }

        return i => spans.Any(s => i >= s.From && i < s.To);
    }

    [GeneratedRegex("\"([^\"]{1,400})\"")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"\b\d+(?:\.\d+)?\b")]
    private static partial Regex Number();

    [GeneratedRegex(@"\b\d+ of (?:the |its )?\d+\b")]
    private static partial Regex CoCount();

    [GeneratedRegex(@"\b(?:the|a|an|this|that) (?:the|a|an|this|that|these|those)\b", RegexOptions.IgnoreCase)]
    private static partial Regex DoubledDeterminer();

    [GeneratedRegex(@"\b(a|an|A|An) ([A-Za-z][A-Za-z'-]*)")]
    private static partial Regex ArticleNoun();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
