using System.Diagnostics;
using Spectre.Console;

namespace Explainer.Cli.Console;

/// <summary>A snapshot of long work: what is being done, how far along, and in what unit.</summary>
public readonly record struct ProgressUpdate(string Description, double Done, double Total, string Unit = "items");

/// <summary>
/// Shows long work as a progress bar with counts, rate and time left when the terminal is interactive, and as a
/// plain line on stderr every few seconds when it is not (CI, pipes), so logs stay readable.
/// </summary>
public static class ProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(5);

    public static async Task<T> RunAsync<T>(IAnsiConsole console, IAnsiConsole error, string title, Func<IProgress<ProgressUpdate>, Task<T>> work)
    {
        if (!console.Profile.Capabilities.Interactive)
        {
            var plain = new PlainProgress(error, title);
            var result = await work(plain).ConfigureAwait(false);
            plain.Finish();
            return result;
        }

        return await console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new ElapsedTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: 1);
                var clock = Stopwatch.StartNew();
                var bar = new SyncProgress<ProgressUpdate>(u =>
                {
                    task.MaxValue = Math.Max(u.Total, 1);
                    task.Value = Math.Min(u.Done, task.MaxValue);
                    task.Description = Markup.Escape(Describe(u, clock.Elapsed));
                });
                var result = await work(bar).ConfigureAwait(false);
                task.Value = task.MaxValue;
                task.StopTask();
                return result;
            }).ConfigureAwait(false);
    }

    internal static string Describe(ProgressUpdate u, TimeSpan elapsed)
    {
        var rate = elapsed.TotalSeconds > 0.2 ? u.Done / elapsed.TotalSeconds : 0;
        return $"{u.Description}  {u.Done:N0}/{u.Total:N0} {u.Unit}  {rate:N0} {u.Unit}/s";
    }

    /// <summary>Calls back on the reporting thread (System.Progress would post to the thread pool and reorder updates).</summary>
    private sealed class SyncProgress<TUpdate>(Action<TUpdate> report) : IProgress<TUpdate>
    {
        public void Report(TUpdate value) => report(value);
    }

    private sealed class PlainProgress(IAnsiConsole error, string title) : IProgress<ProgressUpdate>
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private readonly Lock _gate = new();
        private TimeSpan _lastPrinted = TimeSpan.Zero;
        private ProgressUpdate? _last;

        public void Report(ProgressUpdate value)
        {
            lock (_gate)
            {
                _last = value;
                if (_clock.Elapsed - _lastPrinted >= PlainInterval)
                {
                    _lastPrinted = _clock.Elapsed;
                    Print(value);
                }
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                if (_last is { } last)
                {
                    Print(last);
                }
            }
        }

        private void Print(ProgressUpdate u)
        {
            var percent = u.Total > 0 ? 100 * u.Done / u.Total : 100;
            error.WriteLine($"{title}: {percent:F0}%  {Describe(u, _clock.Elapsed)}");
        }
    }
}
