using Explainer.Core.Domain;
using Explainer.Core.Explaining;

namespace Explainer.Explaining;

/// <summary>
/// How good one case's output is, in the order a prompt tuner weighs it: how far the version's own output got (accepted
/// by the verifier, a parsed draft it rejected, nothing usable, no answer: <see cref="PromptRunOutput.Level"/>), then of
/// the text shown: its first sentence states the ranking's top reason, its content links hold, it has no English
/// errors, its quotes are grounded. Cases compare on these in order; latency and tokens are shown, not judged.
/// </summary>
public sealed record CaseScore(int Level, bool Faithful, double LinkSupport, int EnglishErrors, double GroundedPrecision)
{
    /// <summary>The version's own text passed the verifier (not the extractive fallback).</summary>
    public bool Passed => Level == PromptRunOutput.Accepted;

    public static CaseScore Of(PromptRunOutput o) => new(
        o.Level ?? (o.Verified && o.Engine != ExplanationService.FallbackEngine ? PromptRunOutput.Accepted : PromptRunOutput.Unusable),
        o.Faithful,
        o.Links == 0 ? 1 : (double)o.SupportedLinks / o.Links,
        o.EnglishErrors.Count,
        o.GroundedPrecision);

    /// <summary>Positive when this case is better than <paramref name="other"/>, negative when worse, 0 when equal.</summary>
    public int Versus(CaseScore other)
    {
        int c;
        if ((c = Level.CompareTo(other.Level)) != 0 || (c = Faithful.CompareTo(other.Faithful)) != 0)
        {
            return c;
        }

        if ((c = Math.Round(LinkSupport, 6).CompareTo(Math.Round(other.LinkSupport, 6))) != 0)
        {
            return c;
        }

        return (c = other.EnglishErrors.CompareTo(EnglishErrors)) != 0 ? c : Math.Round(GroundedPrecision, 6).CompareTo(Math.Round(other.GroundedPrecision, 6));
    }
}

/// <summary>One case (user, item) of a comparison: both outputs, how the candidate fares against the baseline, the text diff.</summary>
public sealed record CaseComparison(
    string UserId,
    string ItemId,
    int Rank,
    PromptRunOutput Baseline,
    PromptRunOutput Candidate,
    CaseScore BaselineScore,
    CaseScore CandidateScore,
    string Outcome,
    bool Changed,
    IReadOnlyList<DiffPart> Diff)
{
    /// <summary>The text shown differs (not only the model's rejected drafts).</summary>
    public bool TextChanged => Diff.Any(d => d.Op != "=");

    public const string Improved = "improved";
    public const string Regressed = "regressed";
    public const string Unchanged = "unchanged";
}

/// <summary>One metric of both runs: higher-is-better says which way a delta is good.</summary>
public sealed record MetricDelta(string Key, string Label, double Baseline, double Candidate, bool HigherIsBetter, string Format)
{
    public double Delta => Candidate - Baseline;

    /// <summary>1 better, -1 worse, 0 same (for colouring).</summary>
    public int Direction => Math.Abs(Delta) < 1e-9 ? 0 : (Delta > 0) == HigherIsBetter ? 1 : -1;
}

/// <summary>The baseline and candidate versions' runs on the same sample, case by case.</summary>
public sealed record PromptComparison(
    string Name,
    PromptVersion Baseline,
    PromptVersion Candidate,
    PromptRun BaselineRun,
    PromptRun CandidateRun,
    IReadOnlyList<MetricDelta> Metrics,
    IReadOnlyList<CaseComparison> Cases,
    IReadOnlyList<DiffPart> TemplateDiff,
    IReadOnlyList<DiffPart> ConfigDiff)
{
    /// <summary>The two runs were written by different models (or engines): a difference may be the model's, not the prompt's.</summary>
    public bool ModelsDiffer => BaselineRun.Model != CandidateRun.Model;

    public int Improved => Cases.Count(c => c.Outcome == CaseComparison.Improved);

    public int Regressed => Cases.Count(c => c.Outcome == CaseComparison.Regressed);

    public int Unchanged => Cases.Count(c => c.Outcome == CaseComparison.Unchanged);

    public int Changed => Cases.Count(c => c.Changed);

    public int TextChanged => Cases.Count(c => c.TextChanged);

    /// <summary>Every text shown by a run is the extractive fallback: its text metrics describe that text, not the prompt's.</summary>
    public bool AllFallbacks => CandidateRun.Outputs.Count > 0 && CandidateRun.Outputs.All(o => o.Engine == ExplanationService.FallbackEngine);

    public static PromptComparison Build(PromptVersion baseline, PromptVersion candidate, PromptRun baselineRun, PromptRun candidateRun)
    {
        var byCase = baselineRun.Outputs.GroupBy(o => (o.UserId, o.ItemId)).ToDictionary(g => g.Key, g => g.First());
        var cases = new List<CaseComparison>();
        foreach (var c in candidateRun.Outputs)
        {
            if (!byCase.TryGetValue((c.UserId, c.ItemId), out var b))
            {
                continue;
            }

            var (bs, cs) = (CaseScore.Of(b), CaseScore.Of(c));
            var order = cs.Versus(bs);
            var changed = !string.Equals(b.Text, c.Text, StringComparison.Ordinal) || !b.RejectedDrafts.SequenceEqual(c.RejectedDrafts, StringComparer.Ordinal);
            cases.Add(new CaseComparison(
                c.UserId, c.ItemId, c.Rank, b, c, bs, cs,
                order > 0 ? CaseComparison.Improved : order < 0 ? CaseComparison.Regressed : CaseComparison.Unchanged,
                changed,
                WordDiff.Of(b.Text, c.Text)));
        }

        var (mb, mc) = (PromptSessions.Metrics(baselineRun), PromptSessions.Metrics(candidateRun));
        return new PromptComparison(
            baseline.Name, baseline, candidate, baselineRun, candidateRun, Deltas(mb, mc, baseline.Name), cases,
            WordDiff.Of(baseline.Template, candidate.Template),
            WordDiff.Of(baseline.Config, candidate.Config));
    }

    /// <summary>Every metric of the two runs of prompt <paramref name="name"/>, in the order the CLI and the page show them.</summary>
    public static IReadOnlyList<MetricDelta> Deltas(PromptRunMetrics b, PromptRunMetrics c, string name) =>
        PromptSessions.OverItems(name) ?
        [
            new("explanations", "Descriptions", b.Outputs, c.Outputs, true, "0"),
            new("ownPassed", "Own text passed the check", b.OwnPassed, c.OwnPassed, true, "0.000"),
            new("draftsParsed", "Drafts that parsed", b.DraftsParsed, c.DraftsParsed, true, "0.000"),
            new("fallbacks", "Fallbacks", b.Fallbacks, c.Fallbacks, false, "0"),
            new("groundedPrecision", "Words from the item's data (own text or draft)", b.GroundedPrecision, c.GroundedPrecision, true, "0.000"),
            .. Shared(b, c),
        ]
        :
        [
            new("explanations", "Explanations", b.Outputs, c.Outputs, true, "0"),
            new("ownPassed", "Own text passed the verifier", b.OwnPassed, c.OwnPassed, true, "0.000"),
            new("draftsParsed", "Drafts that parsed", b.DraftsParsed, c.DraftsParsed, true, "0.000"),
            new("faithfulness", "Faithfulness", b.Faithfulness, c.Faithfulness, true, "0.000"),
            new("linkSupport", "Link support", b.LinkSupport, c.LinkSupport, true, "0.000"),
            new("groundedPrecision", "Grounded precision", b.GroundedPrecision, c.GroundedPrecision, true, "0.000"),
            new("featureMatch", "Feature match", b.FeatureMatch, c.FeatureMatch, true, "0.000"),
            new("verified", "Verified (text shown)", b.VerifiedShare, c.VerifiedShare, true, "0.000"),
            new("fallbacks", "Fallbacks", b.Fallbacks, c.Fallbacks, false, "0"),
            new("skeletonShare", "Skeleton share (max)", b.SkeletonShare, c.SkeletonShare, false, "0.000"),
            new("quoteReuseMax", "Quote reuse (max)", b.QuoteReuseMax, c.QuoteReuseMax, false, "0"),
            new("quoteReuseMean", "Quote reuse (mean)", b.QuoteReuseMean, c.QuoteReuseMean, false, "0.00"),
            new("englishErrors", "English errors", b.EnglishErrors, c.EnglishErrors, false, "0"),
            .. Shared(b, c),
        ];

    /// <summary>The metrics every kind of run has: of its texts, its cost, and its readers' judgements.</summary>
    private static IEnumerable<MetricDelta> Shared(PromptRunMetrics b, PromptRunMetrics c) =>
    [
        new("uniqueSentences", "Unique sentences", b.UniqueSentenceRatio, c.UniqueSentenceRatio, true, "0.000"),
        new("meanWords", "Mean length (words)", b.MeanWords, c.MeanWords, false, "0.0"),
        new("latencyMs", "Latency (ms)", b.MeanLatencyMs, c.MeanLatencyMs, false, "0"),
        new("tokens", "Tokens", b.MeanTokens, c.MeanTokens, false, "0"),
        new("thumbsUp", "Thumbs up", b.ThumbsUp, c.ThumbsUp, true, "0"),
        new("thumbsDown", "Thumbs down", b.ThumbsDown, c.ThumbsDown, false, "0"),
    ];
}
