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

    /// <summary>Share of cases whose own output (the model's draft, or the engine's text without an LLM) passed the verifier.</summary>
    public double OwnPassed { get; init; }

    /// <summary>Share of cases where the model wrote a parsable draft (passed or not).</summary>
    public double DraftsParsed { get; init; }
}

/// <summary>A prompt as the tuning front ends list it.</summary>
public sealed record PromptSummary(string Name, int Versions, string? ActiveHash, string? OnDiskHash, int Runs, bool Runnable);

/// <summary>A draft that cannot be saved: the problems say where and what.</summary>
public sealed class PromptValidationException(IReadOnlyList<PromptProblem> problems)
    : Exception("The prompt has errors: " + string.Join("; ", problems.Where(p => p.Severity == PromptProblem.Error).Select(p => p.Line is { } l ? $"{p.File}:{l}: {p.Message}" : $"{p.File}: {p.Message}")))
{
    public IReadOnlyList<PromptProblem> Problems { get; } = problems;
}

/// <summary>
/// Prompt-tuning sessions, the one service behind both front ends (<c>explainer prompts ...</c> and the <c>/tune</c> page
/// over <c>/v1/prompts</c>): list and view versions, check and save a new version, run a version over a fixed, seeded
/// sample (<c>Explain</c>: users' top recommendations; <c>DescribeItem</c>: described items), compare a candidate's run
/// with the active version's run on the same sample case by case, judge cases, promote and roll back with a recorded
/// history.
/// </summary>
public sealed class PromptSessions(IRecommenderStore store, PromptLibrary library, ExplanationEvaluator evaluator, ExplanationService explanations, ItemDescriptionRuns descriptions)
{
    /// <summary>The prompts that run in sessions: Explain over users' top recommendations, DescribeItem over items.</summary>
    public static readonly IReadOnlyList<string> Runnable = [PromptLibrary.ExplainName, Llm.LlmItemDescriber.PromptName];

    /// <summary>Whether a prompt's runs are over items (else over users).</summary>
    public static bool OverItems(string name) => name == Llm.LlmItemDescriber.PromptName;

    private readonly Lock _judging = new();

    /// <summary>The model the runs are written with (the extractive engine's id when no LLM is configured).</summary>
    public string Model => explanations.ModelId;

    public bool UsesLlm => explanations.UsesLlm;

    /// <summary>The model that writes runs of prompt <paramref name="name"/> (Explain:UseLlm=false keeps explanations extractive only).</summary>
    public string ModelFor(string name) => OverItems(name) ? descriptions.ModelId : explanations.ModelId;

    public bool UsesLlmFor(string name) => OverItems(name) ? descriptions.UsesLlm : explanations.UsesLlm;

    public IReadOnlyList<PromptSummary> Prompts()
    {
        var files = library.Files().ToDictionary(f => f.Name, StringComparer.Ordinal);
        return [.. Versions().GroupBy(v => v.Name).Select(g => new PromptSummary(
            g.Key,
            g.Count(),
            g.FirstOrDefault(v => v.Active)?.Hash,
            files.TryGetValue(g.Key, out var f) ? f.Hash : null,
            store.PromptRuns(g.Key).Count,
            Runnable.Contains(g.Key)))];
    }

    public IReadOnlyList<PromptVersion> Versions(string? name = null)
    {
        library.Sync();
        return store.PromptVersions(name);
    }

    /// <summary>A prompt's versions; an unknown prompt is an error.</summary>
    public IReadOnlyList<PromptVersion> VersionsOf(string name)
    {
        var versions = Versions(name);
        return versions.Count > 0 ? versions : throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.", missing: true);
    }

    /// <summary>The version whose hash starts with <paramref name="hashPrefix"/>, or the active one when null.</summary>
    public PromptVersion Version(string name, string? hashPrefix) =>
        hashPrefix is null ? library.Active(name) ?? throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.", missing: true) : library.Find(name, hashPrefix);

    public Task<IReadOnlyList<PromptProblem>> ValidateAsync(string name, string template, string config, CancellationToken cancellationToken)
    {
        VersionsOf(name);
        return PromptValidator.ValidateAsync(name, template, config, cancellationToken);
    }

    /// <summary>
    /// Checks a draft and stores it as a new, inactive version; a draft with errors is refused with them. The text of a
    /// version already stored gives that version back (<c>New</c> false).
    /// </summary>
    public async Task<(PromptVersion Version, bool New)> CreateVersionAsync(string name, string template, string config, string? author, string? note, string? parent, CancellationToken cancellationToken)
    {
        var problems = await ValidateAsync(name, template, config, cancellationToken).ConfigureAwait(false);
        if (problems.Any(p => p.Severity == PromptProblem.Error))
        {
            throw new PromptValidationException(problems);
        }

        string? parentHash = null;
        if (parent is not null)
        {
            try
            {
                parentHash = library.Find(name, parent).Hash;
            }
            catch (PromptException ex)
            {
                throw new PromptException("parent: " + ex.Message); // a bad field of the request (400), not a missing resource
            }
        }

        var before = store.PromptVersions(name).Count;
        var version = library.Add(name, template, config, author, note, parentHash);
        return (version, store.PromptVersions(name).Count > before);
    }

    /// <summary>The most users a run takes (every user of the MI data fits; a run is explained user by user).</summary>
    public const int MaxSample = 2000;

    /// <summary>The most recommendations explained per user.</summary>
    public const int MaxK = 10;

    /// <summary>Runs a version over a seeded sample and stores the run.</summary>
    public async Task<PromptRun> RunAsync(string name, string? versionPrefix, int sample, int k, int seed, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var run = await ExecuteAsync(name, versionPrefix, sample, k, seed, progress, cancellationToken).ConfigureAwait(false);
        Save(run);
        return run;
    }

    /// <summary>Checks a run request: the prompt runs in sessions, the sample and k are in range; returns the version to run.</summary>
    public PromptVersion CheckRun(string name, string? versionPrefix, int sample, int k)
    {
        var active = library.Active(name) ?? throw new PromptException($"No prompt '{name}'. See `explainer prompts list`.", missing: true);
        if (!Runnable.Contains(name))
        {
            throw new PromptException($"Only the {string.Join(" and ", Runnable)} prompts run in tuning sessions; '{name}' belongs to the LLM engines of enrichment or chat (list, show, check and promote work for it).");
        }

        if (sample is < 1 or > MaxSample || (!OverItems(name) && k is < 1 or > MaxK))
        {
            throw new PromptException(OverItems(name) ? $"The sample must be 1 to {MaxSample:N0} items." : $"The sample must be 1 to {MaxSample:N0} users and k 1 to {MaxK}.");
        }

        return versionPrefix is null ? active : library.Find(name, versionPrefix);
    }

    /// <summary>How many users (items) a sample of <paramref name="sample"/> really has (fewer when fewer have a profile or description).</summary>
    public int SampleSize(string name, int sample, int seed) => OverItems(name) ? descriptions.SampleItems(sample, seed).Count : evaluator.SampleUsers(sample, seed).Count;

    /// <summary>Runs a version over a seeded sample without storing it (a job stores its runs together when all are done).</summary>
    public async Task<PromptRun> ExecuteAsync(string name, string? versionPrefix, int sample, int k, int seed, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var version = CheckRun(name, versionPrefix, sample, k);
        var created = DateTimeOffset.UtcNow;
        PromptRun Run(int kk, string model, IReadOnlyList<PromptRunOutput> outputs) => new()
        {
            Id = $"{name}|{version.Hash}|{sample}|{kk}|{seed}|{created.UtcTicks:D19}",
            Name = name,
            Hash = version.Hash,
            Model = model,
            Sample = sample,
            Seed = seed,
            K = kk,
            Outputs = outputs,
            CreatedAt = created,
        };

        if (OverItems(name))
        {
            return Run(1, descriptions.ModelId, await descriptions.RunAsync(version, sample, seed, progress, cancellationToken).ConfigureAwait(false));
        }

        var evaluation = await evaluator.RunAsync(sample, k, seed, version, progress, cancellationToken).ConfigureAwait(false);
        return Run(k, explanations.ModelId, [.. evaluation.Outputs.Select(OutputOf)]);
    }

    /// <summary>One explained case of a run: the text, how far the model's own output got, and what the checker read in it.</summary>
    private static PromptRunOutput OutputOf(ScoredExplanation o) => new(
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
        Level = LevelOf(o.Outcome),
        Faithful = o.Check.Faithful,
        Links = o.Check.Links,
        SupportedLinks = o.Check.SupportedLinks,
        QuotedUserSentences = o.Check.QuotedUserSentences,
        Skeletons = o.Check.Skeletons,
        EnglishErrors = o.Check.EnglishErrors,
        EvidenceIds = o.Outcome.Draft.EvidenceIds,
        Evidence = [.. o.Outcome.Evidence.Reasons.Select(r => $"{r.Id}: {r.Kind} ({r.Share:P0} of the score)").Concat(o.Outcome.Evidence.Pieces.Select(p => $"{p.Id}: {p.Text}"))],
        Problems = [.. o.Outcome.Rejected.Concat(o.Outcome.Verification.Problems).Concat(o.Outcome.Verification.Claims.Where(c => !c.Supported).Select(c => $"unsupported {c.Kind} '{c.Text}'"))],
        RejectedDrafts = o.Outcome.RejectedDrafts,
        Tokens = o.Outcome.Tokens,
    };

    /// <summary>Stores a run (under the judgements' lock, so no judgement is written over a run being saved).</summary>
    public void Save(PromptRun run)
    {
        lock (_judging)
        {
            store.SavePromptRun(run);
        }
    }

    private static int LevelOf(ExplanationOutcome outcome) =>
        outcome.Engine != ExplanationService.FallbackEngine && outcome.Verification.Passed ? PromptRunOutput.Accepted
        : outcome.DraftParsed ? PromptRunOutput.Rejected
        : outcome.LlmRequestFailed ? PromptRunOutput.RequestFailed
        : PromptRunOutput.Unusable;

    /// <summary>A prompt's stored runs, newest first.</summary>
    public IReadOnlyList<PromptRun> Runs(string name)
    {
        VersionsOf(name);
        return [.. store.PromptRuns(name).OrderByDescending(r => r.CreatedAt)];
    }

    public PromptRun Run(string id) => store.FindPromptRun(id) ?? throw new PromptException($"No run '{id}'.", missing: true);

    /// <summary>The latest run of a version (by hash prefix), or null.</summary>
    public PromptRun? LatestRun(string name, string hashPrefix) =>
        store.PromptRuns(name).Where(r => r.Hash.StartsWith(hashPrefix, StringComparison.OrdinalIgnoreCase)).MaxBy(r => r.CreatedAt);

    /// <summary>
    /// The candidate's latest run against the baseline's run on the same sample (users, k, seed), by the same model when
    /// there is one (else the latest by any model, flagged by <see cref="PromptComparison.ModelsDiffer"/>); the baseline
    /// is the active version unless named. Either run missing is an error that says which command makes it.
    /// </summary>
    public PromptComparison Compare(string name, string candidatePrefix, string? baselinePrefix = null)
    {
        var candidate = library.Find(name, candidatePrefix);
        var baseline = Version(name, baselinePrefix);
        var candidateRun = LatestRun(name, candidate.Hash)
            ?? throw new PromptException($"Version {Short(candidate.Hash)} has no run yet: `explainer prompts run {name} --version {Short(candidate.Hash)} --sample N`.");
        var onSample = store.PromptRuns(name).Where(r => r.Hash == baseline.Hash && SameSample(r, candidateRun)).ToList();
        var baselineRun = onSample.Where(r => r.Model == candidateRun.Model).MaxBy(r => r.CreatedAt) ?? onSample.MaxBy(r => r.CreatedAt)
            ?? throw new PromptException(OverItems(name)
                ? $"Version {Short(baseline.Hash)} has no run on the candidate's sample ({candidateRun.Sample} items, seed {candidateRun.Seed}): `explainer prompts run {name} --version {Short(baseline.Hash)} --sample {candidateRun.Sample} --seed {candidateRun.Seed}`."
                : $"Version {Short(baseline.Hash)} has no run on the candidate's sample ({candidateRun.Sample} users, k {Math.Max(1, candidateRun.K)}, seed {candidateRun.Seed}): `explainer prompts run {name} --version {Short(baseline.Hash)} --sample {candidateRun.Sample} -k {Math.Max(1, candidateRun.K)} --seed {candidateRun.Seed}`.");
        return PromptComparison.Build(baseline, candidate, baselineRun, candidateRun);
    }

    /// <summary>Whether <paramref name="version"/> has a run on this sample written by the model configured now.</summary>
    public bool HasRunLike(PromptVersion version, int sample, int k, int seed) =>
        store.PromptRuns(version.Name).Any(r => r.Hash == version.Hash && r.Sample == sample && Math.Max(1, r.K) == (OverItems(version.Name) ? 1 : k) && r.Seed == seed && r.Model == ModelFor(version.Name));

    /// <summary>Stores a reader's judgement of one case of a run: 1 thumbs up, -1 down, 0 none, and a comment.</summary>
    public PromptRunOutput Judge(string runId, string userId, string itemId, int rating, string? comment)
    {
        if (rating is < -1 or > 1)
        {
            throw new PromptException("rating must be 1 (thumbs up), -1 (thumbs down) or 0 (none).");
        }

        if (comment is { Length: > 2000 })
        {
            throw new PromptException("comment is longer than 2,000 characters.");
        }

        lock (_judging)
        {
            var run = Run(runId);
            var index = run.Outputs.ToList().FindIndex(o => o.UserId == userId && o.ItemId == itemId);
            if (index < 0)
            {
                throw new PromptException($"Run '{runId}' has no case {userId} / {itemId}.", missing: true);
            }

            var judged = run.Outputs[index] with { Rating = rating, Comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim() };
            store.SavePromptRun(run with { Outputs = [.. run.Outputs.Select((o, i) => i == index ? judged : o)] });
            return judged;
        }
    }

    public PromptVersion Promote(string name, string hashPrefix, string by, string note) =>
        library.Promote(library.Find(name, hashPrefix), by, note);

    /// <summary>Moves the active label back to the version that was active before the last promotion still in effect.</summary>
    public PromptVersion Rollback(string name, string by, string note)
    {
        PromptLibrary.RequireWhoAndWhy(by, note);
        var versions = VersionsOf(name);
        var target = RollbackTarget(store.PromptHistory(name))
            ?? throw new PromptException($"Nothing to roll back to: {name} has no earlier active version in its history.");
        var version = versions.FirstOrDefault(v => v.Hash == target) ?? throw new PromptException($"The version to roll back to ({Short(target)}) is no longer stored.");
        return library.Promote(version, by, note, PromptPromotion.Rollback);
    }

    public IReadOnlyList<PromptPromotion> History(string name)
    {
        VersionsOf(name);
        return store.PromptHistory(name);
    }

    /// <summary>A stack over the history: a promotion pushes the version it replaced, a roll back pops one.</summary>
    public static string? RollbackTarget(IReadOnlyList<PromptPromotion> history)
    {
        var stack = new Stack<string?>();
        foreach (var move in history)
        {
            if (move.Action == PromptPromotion.Rollback)
            {
                stack.TryPop(out _);
            }
            else
            {
                stack.Push(move.FromHash);
            }
        }

        return stack.TryPeek(out var target) ? target : null;
    }

    public static string Short(string hash) => hash.Length > 8 ? hash[..8] : hash;

    private static bool SameSample(PromptRun a, PromptRun b) => a.Sample == b.Sample && Math.Max(1, a.K) == Math.Max(1, b.K) && a.Seed == b.Seed;

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
            OwnPassed = o.Average(x => CaseScore.Of(x).Level == PromptRunOutput.Accepted ? 1.0 : 0.0),
            DraftsParsed = o.Average(x => CaseScore.Of(x).Level >= PromptRunOutput.Rejected ? 1.0 : 0.0),
        };
    }
}
