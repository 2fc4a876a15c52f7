using System.Collections.Concurrent;
using System.Diagnostics;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Explaining;

/// <summary>A generated (not yet stored) explanation with how it was checked.</summary>
public sealed record ExplanationOutcome(
    ExplanationDraft Draft,
    string Engine,
    VerificationResult Verification,
    ExplanationEvidence Evidence,
    double LatencyMs,
    IReadOnlyList<string> Rejected)
{
    /// <summary>The LLM request itself failed (not its draft): the text is extractive only until the failure passes.</summary>
    public bool LlmRequestFailed { get; init; }

    /// <summary>Tokens the model read and wrote over all attempts (0 for the extractive engine).</summary>
    public int Tokens { get; init; }

    /// <summary>The model's drafts the verifier rejected, in attempt order (what a prompt tuner needs to see).</summary>
    public IReadOnlyList<string> RejectedDrafts { get; init; } = [];

    /// <summary>A draft of the model's parsed (JSON with a text) but the verifier rejected it.</summary>
    public bool DraftParsed { get; init; }
}

/// <summary>
/// "Why recommended". Looks the explanation up in the store under (user, item, prompt version, model, profile version)
/// and serves it when present; otherwise collects the evidence, writes the text (the active <c>Explain</c> prompt through
/// the LLM when one is configured, the extractive engine when not), verifies it, regenerates once on failure, falls back
/// to the extractive text, and stores the record with the engine that wrote it and whether it passed.
/// </summary>
public sealed class ExplanationService : IExplanationService
{
    /// <summary>The prompt-version part of extractive explanations' keys: bump it when the extractive phrasing changes, so cached texts are rewritten.</summary>
    public const string ExtractiveVersion = "extractive@6";
    public const string FallbackEngine = "extractive-fallback";

    /// <summary>How a failed LLM request is recorded in <see cref="Explanation.Rejected"/>.</summary>
    public const string LlmFailed = "the LLM failed";
    public const int Attempts = 2;

    private readonly IRecommenderStore _store;
    private readonly ExplanationVerifier _verifier;
    private readonly IExtractiveExplainer _extractive;
    private readonly PromptLibrary _prompts;
    private readonly LlmExplainer? _llm;
    private readonly ILogger _logger;

    public ExplanationService(
        IRecommenderStore store,
        ExplanationVerifier verifier,
        IExtractiveExplainer extractive,
        PromptLibrary prompts,
        ExplainOptions options,
        ILogger<ExplanationService>? logger = null,
        LlmExplainer? llm = null)
    {
        _store = store;
        _verifier = verifier;
        _extractive = extractive;
        _prompts = prompts;
        _llm = options.UseLlm ? llm : null;
        _logger = logger ?? NullLogger<ExplanationService>.Instance;
    }

    /// <summary>Whether explanations are written by the LLM (otherwise by the extractive engine).</summary>
    public bool UsesLlm => _llm is not null;

    public string ModelId => _llm?.ModelId ?? "none";

    /// <summary>The engine that writes explanations now ("llm:&lt;model&gt;" or the extractive engine's id).</summary>
    public string EngineId => _llm?.EngineId ?? _extractive.EngineId;

    /// <summary>The prompt-version part of the cache key in effect now.</summary>
    public string CurrentPromptVersion() =>
        _llm is not null && _prompts.Active(PromptLibrary.ExplainName) is { } v ? PromptLibrary.VersionKey(v) : ExtractiveVersion;

    public static string MakeId(string userId, string itemId, string promptVersion, string model, int profileVersion) =>
        $"{userId}|{itemId}|{promptVersion}|{model}|{profileVersion}";

    /// <summary>How long an explanation for a free-text query is kept in memory (queries have no profile version to key a stored one by).</summary>
    public static readonly TimeSpan QueryCacheLifetime = TimeSpan.FromMinutes(10);

    private const int QueryCacheSize = 5000;
    private readonly ConcurrentDictionary<string, (Explanation Explanation, DateTimeOffset At)> _queryCache = new(StringComparer.Ordinal);

    /// <summary>The cache key of item <paramref name="index"/> of <paramref name="result"/> (a query's includes the index stamp).</summary>
    public string KeyOf(RecommendationResult result, int index)
    {
        var itemId = result.Items[index].Item.Id;
        return Stored(result) && result.Profile is { } p
            ? MakeId(p.UserId, itemId, CurrentPromptVersion(), ModelId, p.Version)
            : MakeId(Asker(result), itemId, CurrentPromptVersion(), ModelId, result.Profile?.Version ?? 0) + "|" + result.IndexStamp;
    }

    /// <summary>A user's own list is explained from their profile and stored; a query, "more like" or cold list is kept in memory for a while.</summary>
    private static bool Stored(RecommendationResult result) => result.Profile is not null && result.Query is null && result.Request.LikeItemId is null;

    private static string Asker(RecommendationResult result) =>
        (result.Profile is { } p ? p.UserId + ":" : string.Empty) + (result.Query is { } q ? "query:" + q : result.Request.LikeItemId is { } like ? "like:" + like : "popular");

    public async Task<IReadOnlyList<Explanation>> ExplainAllAsync(RecommendationResult result, CancellationToken cancellationToken)
    {
        var explanations = new Explanation[result.Items.Count];
        var (cached, budget) = Cached(result, result.Items.Count);
        for (var i = 0; i < result.Items.Count; i++)
        {
            if (cached[i] is { } hit)
            {
                explanations[i] = hit;
                continue;
            }

            explanations[i] = await GenerateAndStoreAsync(result, i, budget, cancellationToken).ConfigureAwait(false);
        }

        return explanations;
    }

    public async Task<Explanation> ExplainAsync(RecommendationResult result, int index, CancellationToken cancellationToken)
    {
        var (cached, budget) = Cached(result, index + 1);
        return cached[index] ?? await GenerateAndStoreAsync(result, index, budget, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored (or, for queries, remembered) explanations of the first <paramref name="count"/> items, read in one go,
    /// and the quote budget they have used: an explanation written now avoids what those already quote twice.
    /// </summary>
    private (Explanation?[] Cached, QuoteBudget Budget) Cached(RecommendationResult result, int count)
    {
        var keys = Enumerable.Range(0, count).Select(i => KeyOf(result, i)).ToList();
        var found = new Explanation?[count];
        if (Stored(result))
        {
            var stored = _store.FindExplanations(keys);
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                // Not in the store but remembered: written while the LLM failed, kept out of the store (see below).
                found[i] = stored.GetValueOrDefault(keys[i]) ?? Remembered(keys[i], now);
            }
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            for (var i = 0; i < count; i++)
            {
                found[i] = Remembered(keys[i], now);
            }
        }

        var budget = new QuoteBudget();
        foreach (var quoted in found.OfType<Explanation>().SelectMany(e => e.Quoted))
        {
            budget.Use(quoted);
        }

        return (found, budget);
    }

    private async Task<Explanation> GenerateAndStoreAsync(RecommendationResult result, int index, QuoteBudget budget, CancellationToken cancellationToken)
    {
        var evidence = EvidenceCollector.Collect(result, index, budget);
        var outcome = await GenerateAsync(evidence, version: null, cancellationToken).ConfigureAwait(false);

        var profileVersion = result.Profile?.Version ?? 0;
        var userId = Stored(result) ? result.Profile!.UserId : Asker(result);
        var record = ToRecord(KeyOf(result, index), userId, evidence.ItemId, CurrentPromptVersion(), profileVersion, outcome!);
        foreach (var quoted in record.Quoted)
        {
            budget.Use(quoted);
        }

        // A fallback written because the LLM request failed (a server down for a minute) is not kept for good under
        // the LLM's key: it is remembered for a while, and the LLM is asked again after that or in a new process.
        if (!Stored(result) || outcome.LlmRequestFailed)
        {
            Remember(record);
        }
        else if (!_store.IsReadOnly)
        {
            _store.SaveExplanation(record); // a read-only store serves it without keeping it
        }

        return record;
    }

    private Explanation? Remembered(string key, DateTimeOffset now) =>
        _queryCache.TryGetValue(key, out var entry) && now - entry.At < QueryCacheLifetime ? entry.Explanation : null;

    private void Remember(Explanation record)
    {
        if (_queryCache.Count >= QueryCacheSize)
        {
            foreach (var old in _queryCache.OrderBy(e => e.Value.At).Take(QueryCacheSize / 10).Select(e => e.Key).ToList())
            {
                _queryCache.TryRemove(old, out _);
            }
        }

        _queryCache[record.Id] = (record, DateTimeOffset.UtcNow);
    }

    /// <summary>Generates without the cache (evaluation, prompt-tuning runs): every item of the result, in order, with one quote budget.</summary>
    public async Task<IReadOnlyList<ExplanationOutcome>> GenerateAllAsync(RecommendationResult result, PromptVersion? version, CancellationToken cancellationToken)
    {
        var budget = new QuoteBudget();
        var outcomes = new List<ExplanationOutcome>();
        for (var i = 0; i < result.Items.Count; i++)
        {
            var evidence = EvidenceCollector.Collect(result, i, budget);
            var outcome = await GenerateAsync(evidence, version, cancellationToken).ConfigureAwait(false);
            foreach (var quoted in QuotedUserSentences(outcome.Draft, evidence))
            {
                budget.Use(quoted);
            }

            outcomes.Add(outcome);
        }

        return outcomes;
    }

    /// <summary>The user sentences a draft cites.</summary>
    public static IReadOnlyList<string> QuotedUserSentences(ExplanationDraft draft, ExplanationEvidence evidence) =>
        [.. draft.EvidenceIds.Select(evidence.Find).OfType<EvidencePiece>().Where(p => p.Kind == EvidenceKind.UserSentence).Select(p => p.Text).Distinct(StringComparer.Ordinal)];

    /// <summary>
    /// The verified explanation of one item. A draft is never shown while the model writes it: what a shopper reads has
    /// passed the checks (an accepted draft) or is the extractive text; rejected drafts and LLM failures are only
    /// recorded with their reasons. A failed request (a server refusing a prompt longer than its context, a server that
    /// is down) costs this one item its LLM text, not the list its explanations.
    /// </summary>
    public async Task<ExplanationOutcome> GenerateAsync(ExplanationEvidence evidence, PromptVersion? version, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var rejected = new List<string>();
        var drafts = new List<string>();
        var parsed = false;
        var tokens = 0;
        var requestFailed = false;
        version ??= _llm is not null ? _prompts.Active(PromptLibrary.ExplainName) : null;
        if (_llm is not null && version is not null)
        {
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                LlmOutput output;
                try
                {
                    output = await _llm.GenerateAsync(version, evidence, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    // One line a user can act on; the stack only when asked for (debug).
                    _logger.LogWarning("The LLM failed on the explanation of {Item}, which gets the extractive text: {Why}", evidence.ItemId, e.Message);
                    _logger.LogDebug(e, "LLM failure on {Item}", evidence.ItemId);
                    rejected.Add($"attempt {attempt}: {LlmFailed}: {e.Message}");
                    requestFailed = true;
                    break; // the same request would fail again
                }

                tokens += output.Tokens;
                if (output.Draft is { } draft)
                {
                    var check = await _verifier.VerifyAsync(draft, evidence, cancellationToken).ConfigureAwait(false);
                    if (check.Passed)
                    {
                        return new ExplanationOutcome(draft, _llm.EngineId, check, evidence, watch.Elapsed.TotalMilliseconds, rejected) { Tokens = tokens, RejectedDrafts = drafts };
                    }

                    rejected.Add($"attempt {attempt}: {Reason(check)}");
                    drafts.Add(draft.Text);
                    parsed = true;
                }
                else
                {
                    rejected.Add($"attempt {attempt}: {output.Problem}");
                    drafts.Add(output.Raw);
                }

                _logger.LogInformation("Explanation of {Item} rejected ({Reason}).", evidence.ItemId, rejected[^1]);
            }
        }

        var fallback = _extractive.Write(evidence);
        var verification = await _verifier.VerifyAsync(fallback, evidence, cancellationToken).ConfigureAwait(false);
        var engine = rejected.Count > 0 ? FallbackEngine : _extractive.EngineId;
        return new ExplanationOutcome(fallback, engine, verification, evidence, watch.Elapsed.TotalMilliseconds, rejected) { Tokens = tokens, LlmRequestFailed = requestFailed, RejectedDrafts = drafts, DraftParsed = parsed };
    }

    private static string Reason(VerificationResult check)
    {
        var reasons = check.Problems.Concat(check.Claims.Where(c => !c.Supported).Select(c => $"unsupported {c.Kind} '{Short(c.Text)}'")).ToList();
        if (check.Claims.Count == 0)
        {
            reasons.Add("no checkable claim");
        }

        if (!check.MentionsMatchedKeyword)
        {
            reasons.Add("mentions none of the matched keywords");
        }

        return string.Join("; ", reasons.Take(4));
    }

    private static string Short(string s) => s.Length > 60 ? s[..57] + "..." : s;

    private Explanation ToRecord(string id, string userId, string itemId, string promptVersion, int profileVersion, ExplanationOutcome outcome) => new()
    {
        Reasons = [.. outcome.Draft.Reasons.Select(r => outcome.Evidence.Reasons.FirstOrDefault(x => x.Id == r)?.Kind).OfType<ReasonKind>()],
        Quoted = QuotedUserSentences(outcome.Draft, outcome.Evidence),
        Id = id,
        UserId = userId,
        ItemId = itemId,
        Text = outcome.Draft.Text,
        Engine = outcome.Engine,
        Verified = outcome.Verification.Passed,
        EvidenceIds = outcome.Draft.EvidenceIds,
        PromptVersion = promptVersion,
        ProfileVersion = profileVersion,
        Model = ModelId,
        Rejected = outcome.Rejected,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
