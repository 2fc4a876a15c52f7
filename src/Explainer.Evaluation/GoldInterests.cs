using Explainer.Core;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;

namespace Explainer.Evaluation;

/// <summary>One hand-labelled interest of a gold sentence.</summary>
public sealed record GoldLabel(string Phrase, Polarity Polarity);

/// <summary>A gold sentence: its review, its text, and the interests readers found in it (none when empty).</summary>
public sealed record GoldSentence(string Id, string ReviewId, string Text, IReadOnlyList<GoldLabel> Labels);

/// <summary>How a keyword extractor does on the gold set.</summary>
public sealed record GoldScore(int Sentences, int Keywords, int Matched, int Labels, int LabelsFound, int PolarityRight)
{
    /// <summary>Share of the extractor's keywords (from gold sentences) that are a labelled interest.</summary>
    public double Precision => Keywords == 0 ? 0 : (double)Matched / Keywords;

    /// <summary>Share of labelled interests some keyword matches.</summary>
    public double Recall => Labels == 0 ? 0 : (double)LabelsFound / Labels;

    /// <summary>Share of matched keywords with the labelled polarity.</summary>
    public double PolarityAccuracy => Matched == 0 ? 0 : (double)PolarityRight / Matched;
}

/// <summary>
/// The hand-labelled gold set of <c>tests/gold</c> (see its RUBRIC.md): review sentences of real users with the
/// interests they express and their polarity, against which any keyword extractor is measured. A keyword belongs to
/// a sentence when the sentence is its evidence; it matches a label when they share the head noun (last word,
/// singular) or at least half of their words.
/// </summary>
public static class GoldInterests
{
    public const string DefaultDirectory = "tests/gold";

    public static IReadOnlyList<GoldSentence> Load(string? directory = null)
    {
        var dir = RepositoryPaths.Resolve(directory ?? DefaultDirectory);
        var labels = File.ReadLines(Path.Combine(dir, "labels.tsv")).Skip(1).Select(l => l.Split('\t')).ToDictionary(p => p[0], p => Parse(p[1]), StringComparer.Ordinal);
        return [.. File.ReadLines(Path.Combine(dir, "sentences.tsv")).Skip(1).Select(l => l.Split('\t'))
            .Select(p => new GoldSentence(p[0], p[2], p[4], labels.TryGetValue(p[0], out var l) ? l : throw new InvalidDataException($"{dir}/labels.tsv has no line for {p[0]}.")))];
    }

    private static List<GoldLabel> Parse(string labels) => labels.Trim() == "none" ? [] :
        [.. labels.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l =>
        {
            var colon = l.LastIndexOf(':');
            return new GoldLabel(l[..colon].Trim(), l[(colon + 1)..].Trim() == "-" ? Polarity.Disliked : Polarity.Liked);
        })];

    /// <summary>Scores the keywords an extractor found in the gold sentences' reviews (keyed by review id).</summary>
    public static GoldScore Score(IReadOnlyList<GoldSentence> gold, IReadOnlyDictionary<string, IReadOnlyList<ReviewKeyword>> keywordsByReview, Func<string, string> lemma)
    {
        int keywords = 0, matched = 0, labels = 0, found = 0, right = 0;
        foreach (var sentence in gold)
        {
            var own = keywordsByReview.GetValueOrDefault(sentence.ReviewId, []).Where(k => Same(k.Sentence, sentence.Text)).ToList();
            keywords += own.Count;
            labels += sentence.Labels.Count;
            foreach (var k in own)
            {
                if (sentence.Labels.FirstOrDefault(l => Matches(k.Text, l.Phrase, lemma)) is { } label)
                {
                    matched++;
                    right += label.Polarity == k.Polarity ? 1 : 0;
                }
            }

            found += sentence.Labels.Count(l => own.Any(k => Matches(k.Text, l.Phrase, lemma)));
        }

        return new GoldScore(gold.Count, keywords, matched, labels, found, right);
    }

    /// <summary>Same head noun (singular), or at least half of the words shared.</summary>
    public static bool Matches(string keyword, string label, Func<string, string> lemma)
    {
        var a = Words(keyword).Select(lemma).ToList();
        var b = Words(label).Select(lemma).ToList();
        if (a.Count == 0 || b.Count == 0)
        {
            return false;
        }

        return a[^1] == b[^1] || a.Intersect(b, StringComparer.Ordinal).Count() * 2 >= Math.Max(a.Count, b.Count);
    }

    private static IEnumerable<string> Words(string s) =>
        s.ToLowerInvariant().Split([' ', '/', '-', '&', ','], StringSplitOptions.RemoveEmptyEntries).Select(w => w.Trim('.', '\'', '"'));

    private static bool Same(string a, string b) => Normalise(a) == Normalise(b);

    private static string Normalise(string s) => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.', '!', '?').ToLowerInvariant();
}
