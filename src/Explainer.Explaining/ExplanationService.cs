using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
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
    IReadOnlyList<string> Rejected);

/// <summary>
/// "Why recommended". Looks the explanation up in the store under (user, item, prompt version, model, profile version)
/// and serves it when present; otherwise collects the evidence, writes the text (the active <c>Explain</c> prompt through
/// the LLM when one is configured, the extractive engine when not), verifies it, regenerates once on failure, falls back
/// to the extractive text, and stores the record with the engine that wrote it and whether it passed.
/// </summary>
public sealed class ExplanationService : IExplanationService
{
    /// <summary>The prompt-version part of extractive explanations' keys: bump it when the extractive phrasing changes, so cached texts are rewritten.</summary>
    public const string ExtractiveVersion = "extractive@2";
    public const string FallbackEngine = "extractive-fallback";
    public const int Attempts = 2;

    private readonly IRecommenderStore _store;
    private readonly EvidenceCollector _collector;
    private readonly ExplanationVerifier _verifier;
    private readonly IExtractiveExplainer _extractive;
    private readonly PromptLibrary _prompts;
    private readonly LlmExplainer? _llm;
    private readonly ILogger _logger;

    public ExplanationService(
        IRecommenderStore store,
        EvidenceCollector collector,
        ExplanationVerifier verifier,
        IExtractiveExplainer extractive,
        PromptLibrary prompts,
        ExplainOptions options,
        ILogger<ExplanationService>? logger = null,
        LlmExplainer? llm = null)
    {
        _store = store;
        _collector = collector;
        _verifier = verifier;
        _extractive = extractive;
        _prompts = prompts;
        _llm = options.UseLlm ? llm : null;
        _logger = logger ?? NullLogger<ExplanationService>.Instance;
    }

    /// <summary>Whether explanations are written by the LLM (otherwise by the extractive engine).</summary>
    public bool UsesLlm => _llm is not null;

    public string ModelId => _llm?.ModelId ?? "none";

    /// <summary>The prompt-version part of the cache key in effect now.</summary>
    public string CurrentPromptVersion() =>
        _llm is not null && _prompts.Active(PromptLibrary.ExplainName) is { } v ? PromptLibrary.VersionKey(v) : ExtractiveVersion;

    public static string MakeId(string userId, string itemId, string promptVersion, string model, int profileVersion) =>
        $"{userId}|{itemId}|{promptVersion}|{model}|{profileVersion}";

    public async Task<Explanation> ExplainAsync(string userId, Recommendation recommendation, CancellationToken cancellationToken)
    {
        Explanation? final = null;
        await foreach (var chunk in ExplainStreamingAsync(userId, recommendation, cancellationToken).ConfigureAwait(false))
        {
            final = chunk.Final ?? final;
        }

        return final!;
    }

    public async IAsyncEnumerable<ExplanationChunk> ExplainStreamingAsync(string userId, Recommendation recommendation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var profileVersion = _store.FindProfile(userId)?.Version ?? 0;
        var promptVersion = CurrentPromptVersion();
        var id = MakeId(userId, recommendation.ItemId, promptVersion, ModelId, profileVersion);
        if (_store.FindExplanation(id) is { } cached)
        {
            yield return new ExplanationChunk(cached.Text, cached);
            yield break;
        }

        var evidence = await _collector.CollectAsync(userId, recommendation, cancellationToken).ConfigureAwait(false);
        ExplanationOutcome? outcome = null;
        await foreach (var piece in GenerateStreamingAsync(evidence, version: null, cancellationToken).ConfigureAwait(false))
        {
            if (piece.Outcome is not null)
            {
                outcome = piece.Outcome;
            }
            else
            {
                yield return new ExplanationChunk(piece.Text);
            }
        }

        var record = ToRecord(id, userId, recommendation.ItemId, promptVersion, profileVersion, outcome!);
        if (!_store.IsReadOnly)
        {
            _store.SaveExplanation(record); // a read-only store serves it without keeping it
        }

        yield return new ExplanationChunk(string.Empty, record);
    }

    public async Task<Explanation> ExplainQueryAsync(string query, Recommendation recommendation, CancellationToken cancellationToken)
    {
        var evidence = await _collector.CollectForQueryAsync(query, recommendation, cancellationToken).ConfigureAwait(false);
        var outcome = await GenerateAsync(evidence, version: null, cancellationToken).ConfigureAwait(false);
        var promptVersion = CurrentPromptVersion();
        return ToRecord(MakeId("query:" + query, recommendation.ItemId, promptVersion, ModelId, 0), "query:" + query, recommendation.ItemId, promptVersion, 0, outcome);
    }

    /// <summary>Collects evidence and generates without the cache (evaluation, prompt-tuning runs).</summary>
    public async Task<ExplanationOutcome> GenerateAsync(string userId, Recommendation recommendation, PromptVersion? version, CancellationToken cancellationToken)
    {
        var evidence = await _collector.CollectAsync(userId, recommendation, cancellationToken).ConfigureAwait(false);
        return await GenerateAsync(evidence, version, cancellationToken).ConfigureAwait(false);
    }

    public async Task<ExplanationOutcome> GenerateAsync(ExplanationEvidence evidence, PromptVersion? version, CancellationToken cancellationToken)
    {
        ExplanationOutcome? outcome = null;
        await foreach (var piece in GenerateStreamingAsync(evidence, version, cancellationToken).ConfigureAwait(false))
        {
            outcome = piece.Outcome ?? outcome;
        }

        return outcome!;
    }

    private readonly record struct Piece(string Text, ExplanationOutcome? Outcome);

    /// <summary>The text as the model writes it, then the outcome. A rejected attempt is followed by a line saying so.</summary>
    private async IAsyncEnumerable<Piece> GenerateStreamingAsync(ExplanationEvidence evidence, PromptVersion? version, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var rejected = new List<string>();
        version ??= _llm is not null ? _prompts.Active(PromptLibrary.ExplainName) : null;
        if (_llm is not null && version is not null)
        {
            for (var attempt = 1; attempt <= Attempts; attempt++)
            {
                var channel = Channel.CreateUnbounded<string>();
                var generation = Task.Run(
                    async () =>
                    {
                        try
                        {
                            return await _llm.GenerateAsync(version, evidence, t => channel.Writer.TryWrite(t), cancellationToken).ConfigureAwait(false);
                        }
                        finally
                        {
                            channel.Writer.TryComplete();
                        }
                    },
                    cancellationToken);
                await foreach (var text in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    yield return new Piece(text, null);
                }

                var output = await generation.ConfigureAwait(false);
                if (output.Draft is { } draft)
                {
                    var check = await _verifier.VerifyAsync(draft, evidence, cancellationToken).ConfigureAwait(false);
                    if (check.Passed)
                    {
                        yield return new Piece(string.Empty, new ExplanationOutcome(draft, _llm.EngineId, check, evidence, watch.Elapsed.TotalMilliseconds, rejected));
                        yield break;
                    }

                    rejected.Add($"attempt {attempt}: {Reason(check)}");
                }
                else
                {
                    rejected.Add($"attempt {attempt}: {output.Problem}");
                }

                _logger.LogInformation("Explanation of {Item} rejected ({Reason}).", evidence.ItemId, rejected[^1]);
                yield return new Piece("\n", null);
            }
        }

        var fallback = _extractive.Write(evidence);
        var verification = await _verifier.VerifyAsync(fallback, evidence, cancellationToken).ConfigureAwait(false);
        var engine = rejected.Count > 0 ? FallbackEngine : _extractive.EngineId;
        yield return new Piece(fallback.Text, null);
        yield return new Piece(string.Empty, new ExplanationOutcome(fallback, engine, verification, evidence, watch.Elapsed.TotalMilliseconds, rejected));
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
