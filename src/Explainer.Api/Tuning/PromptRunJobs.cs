using System.Collections.Concurrent;
using Explainer.Core.Explaining;
using Explainer.Explaining;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Explainer.Api.Tuning;

/// <summary>
/// What the page polls: one immutable snapshot of a run job, replaced whole as the job goes (so a response never mixes
/// two states). <c>Done</c> and <c>Total</c> count users over all the versions of the job.
/// </summary>
public sealed record PromptRunJob(
    string Id,
    string Name,
    IReadOnlyList<string> Hashes,
    int Sample,
    int K,
    int Seed,
    string State,
    int Done,
    int Total,
    IReadOnlyList<string> RunIds,
    string? Error = null)
{
    public const string Running = "running";
    public const string Finished = "done";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// Runs prompt versions in the background for the page, one job at a time (a run keeps the model and both cores busy; a
/// second one would only slow the first). A job's runs are stored together when all are done, so a cancelled or failed
/// job stores nothing. Stopping the server cancels the running job and waits for it before the store closes.
/// </summary>
public sealed class PromptRunJobs(PromptSessions sessions, ILogger<PromptRunJobs> logger) : IHostedService, IDisposable
{
    /// <summary>Finished jobs kept for the page to read, newest first.</summary>
    private const int KeptJobs = 20;

    private readonly ConcurrentDictionary<string, Job> _jobs = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();

    public PromptRunJob? Find(string id) => _jobs.TryGetValue(id, out var job) ? job.Status : null;

    /// <summary>Starts a run of <paramref name="candidatePrefix"/>, preceded by the active version's run on the same sample when it has none by this model.</summary>
    public PromptRunJob Start(string name, string? candidatePrefix, int sample, int k, int seed)
    {
        var candidate = sessions.CheckRun(name, candidatePrefix, sample, k);
        k = PromptSessions.OverItems(name) ? 1 : k; // a description run has no top k
        var baseline = sessions.Version(name, null);
        lock (_gate)
        {
            if (_stopping.IsCancellationRequested)
            {
                throw new PromptException("The server is stopping.");
            }

            if (_jobs.Values.FirstOrDefault(j => j.Status.State == PromptRunJob.Running) is { } busy)
            {
                throw new PromptRunBusyException(busy.Status);
            }

            List<string> hashes = baseline.Hash != candidate.Hash && !sessions.HasRunLike(baseline, sample, k, seed) ? [baseline.Hash, candidate.Hash] : [candidate.Hash];
            var users = sessions.SampleSize(name, sample, seed);
            var status = new PromptRunJob(Guid.NewGuid().ToString("N")[..12], name, hashes, sample, k, seed, PromptRunJob.Running, 0, users * hashes.Count, []);
            var job = new Job(status, CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token));
            _jobs[status.Id] = job;
            Forget();
            job.Task = Task.Run(() => RunAsync(job, users));
            return status;
        }
    }

    /// <summary>Cancels a running job: true when it was running (it stops at the next user and stores nothing).</summary>
    public bool? Cancel(string id)
    {
        if (!_jobs.TryGetValue(id, out var job))
        {
            return null;
        }

        if (job.Status.State != PromptRunJob.Running)
        {
            return false;
        }

        job.Cancel.Cancel();
        return true;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        var running = _jobs.Values.Select(j => j.Task).OfType<Task>().ToArray();
        await Task.WhenAll(running).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _stopping.Dispose();

    private async Task RunAsync(Job job, int users)
    {
        var runs = new List<PromptRun>();
        var hashes = job.Status.Hashes;
        try
        {
            for (var i = 0; i < hashes.Count; i++)
            {
                var before = i * users;
                var progress = new ProgressReport(done => job.Status = job.Status with { Done = before + done });
                runs.Add(await sessions.ExecuteAsync(job.Status.Name, hashes[i], job.Status.Sample, job.Status.K, job.Status.Seed, progress, job.Cancel.Token).ConfigureAwait(false));
            }

            foreach (var run in runs)
            {
                sessions.Save(run);
            }

            job.Status = job.Status with { State = PromptRunJob.Finished, Done = job.Status.Total, RunIds = [.. runs.Select(r => r.Id)] };
        }
        catch (OperationCanceledException) when (job.Cancel.IsCancellationRequested)
        {
            job.Status = job.Status with { State = PromptRunJob.Cancelled };
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Prompt run {Job} failed", job.Status.Id);
            job.Status = job.Status with { State = PromptRunJob.Failed, Error = ex.Message };
        }
        finally
        {
            job.Cancel.Dispose();
        }
    }

    /// <summary>Drops the oldest finished jobs beyond <see cref="KeptJobs"/>.</summary>
    private void Forget()
    {
        foreach (var old in _jobs.Values.Where(j => j.Status.State != PromptRunJob.Running).OrderByDescending(j => j.Started).Skip(KeptJobs).ToList())
        {
            _jobs.TryRemove(old.Status.Id, out _);
        }
    }

    /// <summary>A job's mutable shell: the snapshot is swapped whole (a reference write is atomic; volatile makes it visible at once).</summary>
    private sealed class Job(PromptRunJob status, CancellationTokenSource cancel)
    {
        private volatile PromptRunJob _status = status;

        public PromptRunJob Status
        {
            get => _status;
            set => _status = value;
        }

        public CancellationTokenSource Cancel { get; } = cancel;

        public DateTimeOffset Started { get; } = DateTimeOffset.UtcNow;

        public Task? Task { get; set; }
    }

    /// <summary>Reports synchronously on the run's thread (<see cref="Progress{T}"/> would post to the thread pool, out of order).</summary>
    private sealed class ProgressReport(Action<int> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value.Done);
    }
}

/// <summary>A run is already going; the page attaches to it instead of starting another.</summary>
public sealed class PromptRunBusyException(PromptRunJob running) : Exception($"A run is already going (job {running.Id}); wait for it or cancel it.")
{
    public PromptRunJob Running { get; } = running;
}
