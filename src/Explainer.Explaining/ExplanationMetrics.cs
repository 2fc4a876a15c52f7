using Explainer.Core.Explaining;
using System.Text.RegularExpressions;

namespace Explainer.Explaining;

/// <summary>One explanation as the metrics see it: who and what, the outcome, and what its text was read to say.</summary>
public sealed record ScoredExplanation(string UserId, string ItemId, ExplanationOutcome Outcome, ExplanationCheck Check);

/// <summary>
/// Quality of a set of explanations, with measures that can fail. <b>Faithfulness</b>: share whose first sentence states
/// the ranking's top reason (read from the text's evidence, not from what the writer declared). <b>Link support</b>:
/// share of stated content links (a user quote and a reviewer quote in one sentence) whose two sentences the engine,
/// reading them afresh, finds about one aspect with the reviewer positive. <b>Quote reuse</b>: how often one user
/// sentence is quoted in one user's list (max, and mean of each list's max). <b>Skeleton share</b>: the largest share of
/// all sentences taken by one skeleton (names, quotes and numbers masked). <b>English errors</b>: article and number
/// slips ("a tuners", "the this item"). Also grounded precision (supported claims / all claims), feature match,
/// unique-sentence ratio, length, latency, verified share and fallbacks.
/// </summary>
public sealed partial record ExplanationMetrics(
    int Explanations,
    int Users,
    double GroundedPrecision,
    double FeatureMatch,
    double UniqueSentenceRatio,
    double MeanWords,
    double MeanLatencyMs,
    double VerifiedShare,
    int Fallbacks)
{
    public double Faithfulness { get; init; }

    public int Links { get; init; }

    public double LinkSupport { get; init; }

    public int QuoteReuseMax { get; init; }

    public double QuoteReuseMean { get; init; }

    public double SkeletonShare { get; init; }

    public string TopSkeleton { get; init; } = string.Empty;

    public int EnglishErrors { get; init; }

    public static ExplanationMetrics Compute(IReadOnlyCollection<ScoredExplanation> explanations)
    {
        if (explanations.Count == 0)
        {
            return new ExplanationMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        var claims = explanations.Sum(e => e.Outcome.Verification.Claims.Count);
        var supported = explanations.Sum(e => e.Outcome.Verification.Claims.Count(c => c.Supported));
        var sentences = explanations.SelectMany(e => Sentences(e.Outcome.Draft.Text)).ToList();
        var links = explanations.Sum(e => e.Check.Links);
        var reuse = explanations.GroupBy(e => e.UserId, StringComparer.Ordinal)
            .Select(g => g.SelectMany(e => e.Check.QuotedUserSentences).GroupBy(q => q, StringComparer.Ordinal).Select(q => q.Count()).DefaultIfEmpty(0).Max()).ToList();
        var skeletons = explanations.SelectMany(e => e.Check.Skeletons).GroupBy(s => s, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ToList();
        var skeletonTotal = Math.Max(1, skeletons.Sum(g => g.Count()));
        return new ExplanationMetrics(
            explanations.Count,
            explanations.Select(e => e.UserId).Distinct(StringComparer.Ordinal).Count(),
            claims == 0 ? 0 : (double)supported / claims,
            explanations.Average(e => e.Outcome.Verification.MentionsMatchedKeyword ? 1.0 : 0.0),
            sentences.Count == 0 ? 0 : (double)sentences.Distinct(StringComparer.Ordinal).Count() / sentences.Count,
            explanations.Average(e => Words().Count(e.Outcome.Draft.Text)),
            explanations.Average(e => e.Outcome.LatencyMs),
            explanations.Average(e => e.Outcome.Verification.Passed ? 1.0 : 0.0),
            explanations.Count(e => e.Outcome.Engine == ExplanationService.FallbackEngine))
        {
            Faithfulness = explanations.Average(e => e.Check.Faithful ? 1.0 : 0.0),
            Links = links,
            LinkSupport = links == 0 ? 1 : (double)explanations.Sum(e => e.Check.SupportedLinks) / links,
            QuoteReuseMax = reuse.Count == 0 ? 0 : reuse.Max(),
            QuoteReuseMean = reuse.Count == 0 ? 0 : reuse.Average(),
            SkeletonShare = skeletons.Count == 0 ? 0 : (double)skeletons[0].Count() / skeletonTotal,
            TopSkeleton = skeletons.Count == 0 ? string.Empty : skeletons[0].Key,
            EnglishErrors = explanations.Sum(e => e.Check.EnglishErrors.Count),
        };
    }

    /// <summary>Sentences, lower-cased with spacing collapsed (a sentence ends at . ! ? followed by a space or the end, outside quotes).</summary>
    public static IEnumerable<string> Sentences(string text)
    {
        var start = 0;
        var inQuote = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                inQuote = !inQuote;
            }
            else if (!inQuote && c is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                if (Clean(text[start..(i + 1)]) is { Length: > 1 } s)
                {
                    yield return s;
                }

                start = i + 1;
            }
        }

        if (Clean(text[start..]) is { Length: > 1 } rest)
        {
            yield return rest;
        }
    }

    private static string Clean(string s) => Space().Replace(s.ToLowerInvariant(), " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    [GeneratedRegex(@"\S+")]
    private static partial Regex Words();
}
