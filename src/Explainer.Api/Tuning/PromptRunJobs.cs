using System.Collections.Concurrent;
using Explainer.Core.Domain;
using Explainer.Explaining;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Explainer.Api.Tuning;

/// <summary>A prompt run started from the page: its progress, its outcome, and how to cancel it.</summary>
public sealed class PromptRunJob
{
    public const string Running = "running";
    public const string Finished = "done";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";

    private readonly CancellationTokenSource _cancel;

    internal PromptRunJob(string id, string name, IReadOnlyList<string> hashes, int sample, int k, int seed, CancellationTokenSource cancel)
    {
        (Id, Name, Hashes, Sample, K, Seed, _cancel) = (id, name, hashes, sample, k, seed, cancel);
    }

    public string Id { get; }

    public string Name { get; }

    /// <summary>The versions run, in order (the baseline first when it had no run on this sample yet).</summary>
    public IReadOnlyList<string> Hashes { get; }

    public int Sample { get; }

    public int K { get; }

    public int Seed { get; }

    public string State { get; internal set; } = Running;

    /// <summary>Users explained so far over all the versions of the job, and in all.</summary>
    public int Done { get; internal set; }

    public int Total => Sample * Hashes.Count;

    public IReadOnlyList<string> RunIds { get; internal set; } = [];

    public string? Error { get; internal set; }

    internal CancellationToken Token => _cancel.Token;

    internal void Cancel() => _cancel.Cancel();
}

/// <summary>
/// Runs prompt versions in the background for the page, one job at a time (a run keeps the model and both cores busy;
/// a second one would only slow the first), with progress the page polls and a cancel that stops at the next user.
/// </summary>
public sealed class PromptRunJobs(PromptSessions sessions, IHostApplicationLifetime lifetime, ILogger<PromptRunJobs> logger)
{
    private readonly ConcurrentDictionary<string, PromptRunJob> _jobs = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PromptRunJob? Find(string id) => _jobs.GetValueOrDefault(id);

    /// <summary>Starts a run of <paramref name="candidate"/>, preceded by the active version's run on the same sample when it has none.</summary>
    public PromptRunJob Start(string name, string? candidatePrefix, int sample, int k, int seed)
    {
        var candidate = sessions.Version(name, candidatePrefix);
        var baseline = sessions.Version(name, null);
        if (name != PromptLibrary.ExplainName)
        {
            throw new PromptException($"Only the {PromptLibrary.ExplainName} prompt runs in tuning sessions; '{name}' belongs to the LLM engines of enrichment or chat.");
        }

        if (sample is < 1 or > 500 || k is < 1 or > 10)
        {
            throw new PromptException("The sample must be 1 to 500 users and k 1 to 10.");
        }

        lock (_gate)
        {
            if (_jobs.Values.FirstOrDefault(j => j.State == PromptRunJob.Running) is { } busy)
            {
                throw new PromptRunBusyException(busy);
            }

            List<string> hashes = baseline.Hash != candidate.Hash && !sessions.HasRunLike(baseline, sample, k, seed) ? [baseline.Hash, candidate.Hash] : [candidate.Hash];
            var job = new PromptRunJob(Guid.NewGuid().ToString("N")[..12], name, hashes, sample, k, seed, CancellationTokenSource.CreateLinkedTokenSource(lifetime.ApplicationStopping));
            _jobs[job.Id] = job;
            _ = Task.Run(() => RunAsync(job));
            return job;
        }
    }

    public bool Cancel(string id)
    {
        if (_jobs.TryGetValue(id, out var job) && job.State == PromptRunJob.Running)
        {
            job.Cancel();
            return true;
        }

        return false;
    }

    private async Task RunAsync(PromptRunJob job)
    {
        var runs = new List<string>();
        try
        {
            for (var i = 0; i < job.Hashes.Count; i++)
            {
                var before = i * job.Sample;
                var progress = new Progress(done => job.Done = before + done);
                var run = await sessions.RunAsync(job.Name, job.Hashes[i], job.Sample, job.K, job.Seed, progress, job.Token).ConfigureAwait(false);
                runs.Add(run.Id);
                job.RunIds = [.. runs];
                job.Done = before + job.Sample;
            }

            job.State = PromptRunJob.Finished;
        }
        catch (OperationCanceledException) when (job.Token.IsCancellationRequested)
        {
            job.State = PromptRunJob.Cancelled;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Prompt run {Job} failed", job.Id);
            job.Error = ex.Message;
            job.State = PromptRunJob.Failed;
        }
    }

    /// <summary>Reports synchronously: the evaluator's progress is read by the page, not marshalled anywhere.</summary>
    private sealed class Progress(Action<int> report) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => report(value.Done);
    }
}

/// <summary>A run is already going; the page shows it instead of starting another.</summary>
public sealed class PromptRunBusyException(PromptRunJob running) : Exception($"A run is already going (job {running.Id}); wait for it or cancel it.")
{
    public PromptRunJob Running { get; } = running;
}
