using System.Text.RegularExpressions;

namespace Explainer.Explaining;

/// <summary>One explanation as the metrics see it.</summary>
public sealed record ScoredExplanation(string UserId, string ItemId, ExplanationOutcome Outcome);

/// <summary>
/// Quality of a set of explanations. Grounded precision: supported claims / all claims (quotes, keyword mentions,
/// price claims, unquoted sentences; see <see cref="Core.Explaining.ExplanationVerifier"/>). Feature match: share that
/// mention at least one of the user's matched keywords. Unique sentence ratio: distinct sentences / all sentences
/// (ignoring case and spacing). Mean length in words; mean latency per explanation.
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
    public static ExplanationMetrics Compute(IReadOnlyCollection<ScoredExplanation> explanations)
    {
        if (explanations.Count == 0)
        {
            return new ExplanationMetrics(0, 0, 0, 0, 0, 0, 0, 0, 0);
        }

        var claims = explanations.Sum(e => e.Outcome.Verification.Claims.Count);
        var supported = explanations.Sum(e => e.Outcome.Verification.Claims.Count(c => c.Supported));
        var sentences = explanations.SelectMany(e => Sentences(e.Outcome.Draft.Text)).ToList();
        return new ExplanationMetrics(
            explanations.Count,
            explanations.Select(e => e.UserId).Distinct(StringComparer.Ordinal).Count(),
            claims == 0 ? 0 : (double)supported / claims,
            explanations.Average(e => e.Outcome.Verification.MentionsMatchedKeyword ? 1.0 : 0.0),
            sentences.Count == 0 ? 0 : (double)sentences.Distinct(StringComparer.Ordinal).Count() / sentences.Count,
            explanations.Average(e => Words().Count(e.Outcome.Draft.Text)),
            explanations.Average(e => e.Outcome.LatencyMs),
            explanations.Average(e => e.Outcome.Verification.Passed ? 1.0 : 0.0),
            explanations.Count(e => e.Outcome.Engine == ExplanationService.FallbackEngine));
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
