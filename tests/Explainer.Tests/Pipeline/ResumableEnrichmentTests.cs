using System.Diagnostics;
using System.Text.Json;
using Explainer.Ingest;
using Explainer.Storage;
using Xunit.Abstractions;

namespace Explainer.Tests.Pipeline;

/// <summary>`explainer enrich` killed with SIGKILL at a random point, then run again, ends with the same store as an uninterrupted run.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class ResumableEnrichmentTests(EnrichedStoreFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Killed_enrichment_resumes_to_the_same_store()
    {
        var db = _dir.File("killed.db");
        using (var store = ExplainerStore.Open(db))
        {
            await new Importer(store).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);
        }

        var delay = TimeSpan.FromMilliseconds(new Random().Next(4_000, 14_000));
        output.WriteLine($"killing after {delay.TotalSeconds:F1} s");
        using (var first = Start(db))
        {
            var exited = first.WaitForExit(delay);
            if (!exited)
            {
                first.Kill(entireProcessTree: true); // SIGKILL
                await first.WaitForExitAsync();
            }

            output.WriteLine(exited ? "the first run finished before the kill" : "killed");
        }

        using (var second = Start(db))
        {
            var stdout = await second.StandardOutput.ReadToEndAsync();
            await second.WaitForExitAsync();
            output.WriteLine(stdout);
            Assert.True(second.ExitCode == 0, stdout + await second.StandardError.ReadToEndAsync());
        }

        using var resumed = ExplainerStore.Open(db, create: false);
        Assert.Equal(Snapshot(fixture.Store), Snapshot(resumed));
    }

    /// <summary>Descriptions and the review-derived part of every profile (feedback tests change the rest of the shared store).</summary>
    private static string Snapshot(ExplainerStore store) => JsonSerializer.Serialize(new
    {
        Descriptions = store.Descriptions().OrderBy(d => d.ItemId).Select(d => new { d.ItemId, d.Text, d.Keywords, d.InputHash, d.Engine }).ToList(),
        Profiles = store.Users().OrderBy(u => u.Id).Select(u => store.FindProfile(u.Id)).Select(p => new { p!.UserId, p.ReviewKeywords, p.Engine }).ToList(),
    });

    private static Process Start(string db)
    {
        var cli = Path.Combine(AppContext.BaseDirectory, "explainer.dll");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { cli, "enrich", "--db", db })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }
}
