using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Storage;

namespace Explainer.Explaining;

/// <summary>Metrics of one stored run (macro-averaged over its outputs).</summary>
public sealed record PromptRunMetrics(int Outputs, double GroundedPrecision, double FeatureMatch, double UniqueSentenceRatio, double MeanWords, double MeanLatencyMs, double VerifiedShare, int Fallbacks)
{
    public double Faithfulness { get; init; }

    public double LinkSupport { get; init; }

    public int QuoteReuseMax { get; init; }

    public double QuoteReuseMean { get; init; }

    public double SkeletonShare { get; init; }

    public int EnglishErrors { get; init; }

    public double MeanTokens { get; init; }

    public int ThumbsUp { get; init; }

    public int ThumbsDown { get; init; }
}

/// <summary>
/// Prompt-tuning sessions: run a version of the <c>Explain</c> prompt over a fixed, seeded sample of users (their top
/// recommendations), store the outputs with their scores, compare two versions' runs, promote a version.
/// </summary>
public sealed class PromptSessions(IRecommenderStore store, PromptLibrary library, ExplanationEvaluator evaluator, ExplanationService explanations)
{
    public async Task<PromptRun> RunAsync(string name, string? versionPrefix, int sample, int k, int seed, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var active = library.Active(name) ?? throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.");

        if (!string.Equals(name, PromptLibrary.ExplainName, StringComparison.Ordinal))
        {
            throw new PromptException($"Only the {PromptLibrary.ExplainName} prompt runs in tuning sessions; '{name}' belongs to the LLM engines of enrichment or chat (list, show and promote work for it).");
        }

        var version = versionPrefix is null ? active : library.Find(name, versionPrefix);
        var evaluation = await evaluator.RunAsync(sample, k, seed, version, progress, cancellationToken).ConfigureAwait(false);
        var run = new PromptRun
        {
            Id = $"{name}|{version.Hash}|{sample}|{k}|{seed}",
            Name = name,
            Hash = version.Hash,
            Model = explanations.ModelId,
            Sample = sample,
            Seed = seed,
            Outputs = [.. evaluation.Outputs.Select(o => new PromptRunOutput(
                o.UserId,
                o.ItemId,
                o.Outcome.Draft.Text,
                o.Outcome.Engine,
                o.Outcome.Verification.Passed,
                o.Outcome.Verification.GroundedPrecision,
                o.Outcome.Verification.MentionsMatchedKeyword,
                o.Outcome.LatencyMs)
            {
                Rank = o.Outcome.Evidence.Position + 1,
                Faithful = o.Check.Faithful,
                Links = o.Check.Links,
                SupportedLinks = o.Check.SupportedLinks,
                QuotedUserSentences = o.Check.QuotedUserSentences,
                Skeletons = o.Check.Skeletons,
                EnglishErrors = o.Check.EnglishErrors,
                EvidenceIds = o.Outcome.Draft.EvidenceIds,
                Evidence = [.. o.Outcome.Evidence.Reasons.Select(r => $"{r.Id}: {r.Kind} ({r.Share:P0} of the score)").Concat(o.Outcome.Evidence.Pieces.Select(p => $"{p.Id}: {p.Text}"))],
                Problems = [.. o.Outcome.Rejected.Concat(o.Outcome.Verification.Problems).Concat(o.Outcome.Verification.Claims.Where(c => !c.Supported).Select(c => $"unsupported {c.Kind} '{c.Text}'"))],
                Tokens = o.Outcome.Tokens,
            })],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        store.SavePromptRun(run);
        return run;
    }

    /// <summary>The latest run of a version (by hash prefix), or null.</summary>
    public PromptRun? LatestRun(string name, string hashPrefix) =>
        store.PromptRuns(name).Where(r => r.Hash.StartsWith(hashPrefix, StringComparison.OrdinalIgnoreCase)).MaxBy(r => r.CreatedAt);

    public static PromptRunMetrics Metrics(PromptRun run)
    {
        var o = run.Outputs;
        if (o.Count == 0)
        {
            return new PromptRunMetrics(0, 0, 0, 0, 0, 0, 0, 0);
        }

        var sentences = o.SelectMany(x => ExplanationMetrics.Sentences(x.Text)).ToList();
        var links = o.Sum(x => x.Links);
        var reuse = o.GroupBy(x => x.UserId, StringComparer.Ordinal).Select(g => g.SelectMany(x => x.QuotedUserSentences).GroupBy(q => q, StringComparer.Ordinal).Select(q => q.Count()).DefaultIfEmpty(0).Max()).ToList();
        var skeletons = o.SelectMany(x => x.Skeletons).GroupBy(x => x, StringComparer.Ordinal).Select(g => g.Count()).DefaultIfEmpty(0).ToList();
        return new PromptRunMetrics(
            o.Count,
            o.Average(x => x.GroundedPrecision),
            o.Average(x => x.FeatureMatch ? 1.0 : 0.0),
            sentences.Count == 0 ? 0 : (double)sentences.Distinct(StringComparer.Ordinal).Count() / sentences.Count,
            o.Average(x => x.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length),
            o.Average(x => x.LatencyMs),
            o.Average(x => x.Verified ? 1.0 : 0.0),
            o.Count(x => x.Engine == ExplanationService.FallbackEngine))
        {
            Faithfulness = o.Average(x => x.Faithful ? 1.0 : 0.0),
            LinkSupport = links == 0 ? 1 : (double)o.Sum(x => x.SupportedLinks) / links,
            QuoteReuseMax = reuse.Max(),
            QuoteReuseMean = reuse.Average(),
            SkeletonShare = (double)skeletons.Max() / Math.Max(1, skeletons.Sum()),
            EnglishErrors = o.Sum(x => x.EnglishErrors.Count),
            MeanTokens = o.Average(x => x.Tokens),
            ThumbsUp = o.Count(x => x.Rating > 0),
            ThumbsDown = o.Count(x => x.Rating < 0),
        };
    }

    public IReadOnlyList<PromptVersion> Versions(string? name = null)
    {
        library.Sync();
        return store.PromptVersions(name);
    }
}
