using System.Collections.Concurrent;
using Explainer.Api.Apis;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Explainer.Api;

/// <summary>
/// Schedules the explanations of a ranked list so a response waits at most <see cref="ApiOptions.ExplanationBudgetMs"/>
/// for them: the list is explained in rank order on a background task (one quote budget for the list), what is ready
/// when the budget runs out comes back <c>ready</c> and the rest <c>pending</c>; the task goes on, and since a user's
/// explanations are stored and a query's kept in memory for a while, asking again returns them. A list already being
/// explained is joined, not started again, and at most one list per core is explained at a time, so clients polling
/// for pending explanations cannot pile up work. When no explanation service is registered every item says
/// <c>unavailable</c> (never invented text).
/// </summary>
public sealed class ExplanationScheduler(IServiceProvider services, IOptions<ApiOptions> options, IHostApplicationLifetime lifetime, ILogger<ExplanationScheduler> logger) : IDisposable
{
    private readonly IExplanationService? _service = services.GetService<IExplanationService>();
    private readonly ConcurrentDictionary<string, Lazy<ListJob>> _inflight = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(Math.Max(1, Environment.ProcessorCount));

    public bool Available => _service is not null;

    private sealed class ListJob(int count)
    {
        public TaskCompletionSource<Explanation>[] Items { get; } = [.. Enumerable.Range(0, count).Select(_ => new TaskCompletionSource<Explanation>(TaskCreationOptions.RunContinuationsAsynchronously))];

        public Task? Run { get; set; }
    }

    public async Task<ExplanationDto[]> ExplainAsync(RecommendationResult result, CancellationToken cancellationToken)
    {
        if (_service is not { } service)
        {
            return [.. result.Items.Select(_ => new ExplanationDto(ExplanationDto.Unavailable, Detail: "No explanation service is configured in this build."))];
        }

        var key = string.Join('\u001f', result.Items.Select(i => i.Item.Id).Prepend(result.IndexStamp).Prepend(result.Profile is { } p ? $"{p.UserId}@{p.Version}" : "query:" + (result.Query ?? result.Request.LikeItemId)));
        var lazy = _inflight.GetOrAdd(key, _ => new Lazy<ListJob>(() => Start(service, result, key)));
        var job = lazy.Value;
        var tasks = job.Items.Select(t => t.Task).ToArray();
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
            TaskStatus.RanToCompletion => ExplanationDto.Of(t.Result),
            TaskStatus.Faulted => Failed(result.Items[i].Item.Id, t.Exception),
            _ => new ExplanationDto(ExplanationDto.Pending, Detail: "Still being generated; ask again shortly."),
        })];
    }

    private ListJob Start(IExplanationService service, RecommendationResult result, string key)
    {
        var job = new ListJob(result.Items.Count);

        // Not tied to the request that started it: a later request gets the stored (or remembered) texts.
        job.Run = Task.Run(async () =>
        {
            try
            {
                await _gate.WaitAsync(lifetime.ApplicationStopping).ConfigureAwait(false);
                try
                {
                    for (var i = 0; i < result.Items.Count; i++)
                    {
                        try
                        {
                            job.Items[i].TrySetResult(await service.ExplainAsync(result, i, lifetime.ApplicationStopping).ConfigureAwait(false));
                        }
                        catch (Exception ex) when (ex is not OperationCanceledException)
                        {
                            job.Items[i].TrySetException(ex);
                        }
                    }
                }
                finally
                {
                    _gate.Release();
                }
            }
            catch (OperationCanceledException ex)
            {
                foreach (var item in job.Items)
                {
                    item.TrySetCanceled(ex.CancellationToken);
                }
            }
            finally
            {
                _inflight.TryRemove(key, out _);
            }
        });
        return job;
    }

    public void Dispose() => _gate.Dispose();

    private ExplanationDto Failed(string itemId, Exception? ex)
    {
        logger.LogWarning(ex, "Explaining {Item} failed", itemId);
        return new ExplanationDto(ExplanationDto.Failed, Detail: "The explanation could not be generated.");
    }
}
