using System.Collections.Concurrent;
using Explainer.Api.Apis;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Explainer.Api;

/// <summary>
/// Explanations for a ranked list within the time budget. Generation runs apart from the request: what finishes
/// after the budget is stored by the explanation service and served on the next request, and comes back as
/// <c>pending</c> on this one. A (user, item) already being generated is joined, not started again, and at most one
/// generation per core runs at a time, so clients polling for pending explanations cannot pile up work. When no
/// explanation service is registered, every item says <c>unavailable</c> (never invented text).
/// </summary>
public sealed class ExplanationProvider(IServiceProvider services, IOptions<ApiOptions> options, IHostApplicationLifetime lifetime, ILogger<ExplanationProvider> logger) : IDisposable
{
    private readonly IExplanationService? _service = services.GetService<IExplanationService>();
    private readonly ConcurrentDictionary<string, Lazy<Task<Explanation>>> _inflight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(Math.Max(1, Environment.ProcessorCount));

    public bool Available => _service is not null;

    public Task<ExplanationDto[]> ForUserAsync(string userId, IReadOnlyList<Recommendation> recommendations, CancellationToken cancellationToken) =>
        ExplainAsync(recommendations, r => $"u:{userId}|{r.ItemId}", (s, r, ct) => s.ExplainAsync(userId, r, ct), cancellationToken);

    public Task<ExplanationDto[]> ForQueryAsync(string query, IReadOnlyList<Recommendation> recommendations, CancellationToken cancellationToken) =>
        ExplainAsync(recommendations, r => $"q:{query}|{r.ItemId}", (s, r, ct) => s.ExplainQueryAsync(query, r, ct), cancellationToken);

    private async Task<ExplanationDto[]> ExplainAsync(
        IReadOnlyList<Recommendation> recommendations,
        Func<Recommendation, string> key,
        Func<IExplanationService, Recommendation, CancellationToken, Task<Explanation>> explain,
        CancellationToken cancellationToken)
    {
        if (_service is not { } service)
        {
            return [.. recommendations.Select(_ => new ExplanationDto(ExplanationDto.Unavailable, Detail: "No explanation service is configured in this build."))];
        }

        var tasks = recommendations.Select(r => Join(key(r), () => GenerateAsync(service, r, explain))).ToArray();
        try
        {
            await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromMilliseconds(Math.Max(0, options.Value.ExplanationBudgetMs)), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The budget ran out: the rest stays pending and keeps generating in the background.
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed item is reported on its own below.
        }

        return [.. tasks.Select((t, i) => t.Status switch
        {
            TaskStatus.RanToCompletion => new ExplanationDto(ExplanationDto.Ready, t.Result.Text, t.Result.Engine, t.Result.Verified, t.Result.EvidenceIds),
            TaskStatus.Faulted => Failed(recommendations[i], t.Exception),
            _ => new ExplanationDto(ExplanationDto.Pending, Detail: "Still being generated; ask again shortly."),
        })];
    }

    private Task<Explanation> Join(string key, Func<Task<Explanation>> start)
    {
        var lazy = _inflight.GetOrAdd(key, _ => new Lazy<Task<Explanation>>(() => Task.Run(start)));
        var task = lazy.Value;
        _ = task.ContinueWith(_ => _inflight.TryRemove(new KeyValuePair<string, Lazy<Task<Explanation>>>(key, lazy)), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        return task;
    }

    private async Task<Explanation> GenerateAsync(IExplanationService service, Recommendation recommendation, Func<IExplanationService, Recommendation, CancellationToken, Task<Explanation>> explain)
    {
        // Not tied to the request that started it: a later request gets it from the store.
        await _gate.WaitAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
        try
        {
            return await explain(service, recommendation, lifetime.ApplicationStopping).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private ExplanationDto Failed(Recommendation recommendation, Exception? ex)
    {
        logger.LogWarning(ex, "Explaining {Item} failed", recommendation.ItemId);
        return new ExplanationDto(ExplanationDto.Failed, Detail: "The explanation could not be generated.");
    }
}
