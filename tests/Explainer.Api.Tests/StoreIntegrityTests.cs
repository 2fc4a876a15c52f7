using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Api.Tests;

/// <summary>
/// Fault injection with real processes on copies of the enriched real store: two processes on one store, kill -9, a
/// full disk, a read-only file, a foreign file, parallel feedback. After each, the store is compared with what it was
/// before (or with a sequential run).
/// </summary>
[Collection(RealStoreCollection.Name)]
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes, tmpfs, kill -9
public sealed class StoreIntegrityTests(RealStoreFixture fixture)
{
    private const string User = RealStoreFixture.User;
    private const string Item = "B0002PBS6S";

    private static string[] Feedback(string db, string kind = "--like", string item = Item) => ["feedback", "--db", db, "--user", User, "--item", item, kind];

    private static string[] IngestMovieLens(string db) => ["ingest", "movielens", "--db", db, "--dir", TestPaths.MovieLens];

    [Fact]
    public async Task While_serve_holds_the_store_every_other_process_is_refused_naming_it_and_nothing_changes()
    {
        var db = fixture.Copy("held.db");
        var before = StoreContent.Of(db);
        await using (var serve = await ServeProcess.StartAsync(db))
        {
            foreach (var args in new[] { Feedback(db), IngestMovieLens(db), ["stats", "--db", db], ["enrich", "--db", db] })
            {
                var (code, _, errors) = await CliProcess.RunAsync(args, []);
                Assert.True(code == 1, $"{args[0]}: exit {code}\n{errors}");
                Assert.Contains($"in use by 'explainer serve' (pid {serve.Pid}", errors, StringComparison.Ordinal);
                Assert.Contains(serve.Address.ToString().TrimEnd('/'), errors.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
                Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
            }

            // The API keeps answering: the refused processes did not touch the file.
            using var response = await serve.Client.GetAsync($"/v1/users/{User}/recommendations?k=3");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(0, await serve.StopAsync());
        }

        Assert.Equal(before, StoreContent.Of(db));
        Assert.False(File.Exists(StoreLock.OwnerPath(db)), "the owner file is removed when serve stops");
        var (after, output, _) = await CliProcess.RunAsync(Feedback(db), []);
        Assert.True(after == 0, output);
    }

    [Fact]
    public async Task Two_ingests_into_one_new_store_one_is_refused_and_the_store_equals_one_ingest()
    {
        using var dir = new TempDir();
        var db = dir.File("race.db");
        var first = Process.Start(CliProcess.Start(["ingest", "amazon", "--db", db, "--reviews", TestPaths.AmazonReviews, "--items", TestPaths.AmazonItems]))!;
        var firstOut = first.StandardOutput.ReadToEndAsync();
        var firstErr = first.StandardError.ReadToEndAsync();

        // The second starts once the first holds the lock.
        await WaitUntilAsync(() => StoreLock.ReadHolder(db)?.Pid == first.Id, first);
        var (second, _, secondErrors) = await CliProcess.RunAsync(["ingest", "amazon", "--db", db, "--reviews", TestPaths.AmazonReviews], []);
        await first.WaitForExitAsync();
        Assert.True(first.ExitCode == 0, await firstErr);
        Assert.Equal(1, second);
        Assert.Contains($"in use by 'explainer ingest amazon' (pid {first.Id}", secondErrors, StringComparison.Ordinal);
        _ = await firstOut;

        var single = dir.File("single.db");
        var (code, _, _) = await CliProcess.RunAsync(["ingest", "amazon", "--db", single, "--reviews", TestPaths.AmazonReviews, "--items", TestPaths.AmazonItems], []);
        Assert.Equal(0, code);
        Assert.Equal(StoreContent.Of(single), StoreContent.Of(db));
    }

    [Fact]
    public async Task Kill_9_during_an_ingest_leaves_the_store_as_it_was_and_a_first_import_leaves_no_file()
    {
        var db = fixture.Copy("killed.db");
        var before = StoreContent.Of(db);
        await KillDuringAsync(IngestMovieLens(db), db);
        Assert.Equal(before, StoreContent.Of(db));
        Assert.Equal(0, (await CliProcess.RunAsync(Feedback(db), [])).Code); // the lock died with the process

        using var dir = new TempDir();
        var fresh = dir.File("first.db");
        await KillDuringAsync(["ingest", "movielens", "--db", fresh, "--dir", TestPaths.MovieLens], fresh);
        Assert.False(File.Exists(fresh), "a killed first import created the store");
        var (code, _, errors) = await CliProcess.RunAsync(["ingest", "movielens", "--db", fresh, "--dir", TestPaths.MovieLens], []);
        Assert.True(code == 0, errors);
        Assert.Empty(Directory.GetFiles(dir.Path, ".first.db.new-*")); // the killed run's scratch file was cleaned up
    }

    private static async Task KillDuringAsync(string[] args, string db)
    {
        using var process = Process.Start(CliProcess.Start(args))!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        await WaitUntilAsync(() => StoreLock.ReadHolder(db)?.Pid == process.Id, process);
        await Task.Delay(1500); // well inside the import (MovieLens takes ~15 s)
        Assert.False(process.HasExited, "the import finished before it could be killed");
        process.Kill();
        await process.WaitForExitAsync();
    }

    [Fact]
    public async Task A_full_disk_fails_within_seconds_with_the_store_unchanged_then_works_again()
    {
        using var dir = new TempDir();
        var disk = SmallDisk.TryMount(dir.File("disk"), megabytes: 120);
        var db = Path.Combine(disk?.Path ?? dir.Path, "full.db");
        File.Copy(fixture.StorePath, db);
        var before = StoreContent.Of(db);

        // A real tmpfs when it can be mounted; else the same condition by asking for more reserve than there is free space.
        Dictionary<string, string?> environment = [];
        if (disk is not null)
        {
            // Room to start but not to finish: the import runs into the full disk half-way, stops and rolls back.
            disk.FillLeaving(30);
            var (ingest, _, ingestErrors) = await CliProcess.RunAsync(IngestMovieLens(db), []);
            Assert.True(ingest == 1, ingestErrors);
            Assert.Matches("not enough disk space|No space left", ingestErrors);
            Assert.Equal(before, StoreContent.Of(db));
            disk.Unfill();
            disk.FillLeaving(8);
        }
        else
        {
            var free = new DriveInfo(dir.Path).AvailableFreeSpace >> 20;
            environment["EXPLAINER_Store__ReserveMegabytes"] = (free + 64).ToString(CultureInfo.InvariantCulture);
        }

        try
        {
            foreach (var args in new[] { IngestMovieLens(db), Feedback(db) })
            {
                var clock = Stopwatch.StartNew();
                var (code, _, errors) = await CliProcess.RunAsync(args, [], environment);
                Assert.True(code == 1, $"{args[0]}: exit {code}\n{errors}");
                Assert.Contains("not enough disk space", errors, StringComparison.Ordinal);
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"{args[0]} took {clock.Elapsed}");
            }

            Assert.Equal(before, StoreContent.Of(db));
        }
        finally
        {
            disk?.Unfill();
        }

        var (again, output, _) = await CliProcess.RunAsync(Feedback(db), []);
        Assert.True(again == 0, output);
        using (var store = ExplainerStore.Open(db, create: false))
        {
            Assert.Equal(FeedbackKind.Like, store.FeedbackByUser(User).Single(f => f.ItemId == Item).Kind);
        }

        disk?.Dispose();
    }

    [Fact]
    public async Task A_read_only_store_is_read_and_refuses_writes_saying_read_only()
    {
        var db = fixture.Copy("readonly.db");
        File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            var bytes = StoreContent.FileHash(db);
            Assert.Equal(0, (await CliProcess.RunAsync(["stats", "--db", db], [])).Code);
            var (recommend, shown, recommendErrors) = await CliProcess.RunAsync(["recommend", "--db", db, "--user", User, "--explain", "-k", "3"], []);
            Assert.True(recommend == 0, recommendErrors);
            Assert.Contains("3. ", shown, StringComparison.Ordinal);

            var (code, _, errors) = await CliProcess.RunAsync(Feedback(db), []);
            Assert.Equal(1, code);
            Assert.Contains("read-only", errors, StringComparison.Ordinal);

            await using (var serve = await ServeProcess.StartAsync(db))
            {
                using var list = await serve.Client.GetAsync($"/v1/users/{User}/recommendations?k=3&explain=true");
                Assert.Equal(HttpStatusCode.OK, list.StatusCode);
                using var post = await serve.Client.PostAsJsonAsync($"/v1/users/{User}/feedback", new { itemId = Item, kind = "like" });
                Assert.Equal(HttpStatusCode.Conflict, post.StatusCode);
                Assert.Contains("read-only", await post.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal(0, await serve.StopAsync());
            }

            Assert.Equal(bytes, StoreContent.FileHash(db));
        }
        finally
        {
            File.SetUnixFileMode(db, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }

    [Fact]
    public async Task Files_that_are_not_stores_are_refused_and_left_byte_for_byte()
    {
        using var dir = new TempDir();
        var readme = dir.File("README.md");
        File.Copy(Path.Combine(TestPaths.RepoRoot, "README.md"), readme);
        var text = dir.Write("notes.txt", string.Concat(Enumerable.Repeat("not a database, just notes\n", 190))); // ~5,000 bytes
        var empty = dir.Write("empty.db", string.Empty);
        foreach (var file in new[] { readme, text, empty })
        {
            var hash = StoreContent.FileHash(file);
            foreach (var args in new[] { ["stats", "--db", file], Feedback(file), ["ingest", "amazon", "--db", file, "--items", TestPaths.AmazonItems] })
            {
                var (code, _, errors) = await CliProcess.RunAsync(args, []);
                Assert.True(code == 1, $"{string.Join(' ', args)}: exit {code}");
                Assert.Contains("is not an Explainer store", errors, StringComparison.Ordinal);
            }

            Assert.Equal(hash, StoreContent.FileHash(file));
        }

        // A failed first import, and one with nothing in it, create no store.
        var bad = dir.Write("bad.csv", "no,such,columns\n1,2,3\n");
        var headerOnly = dir.Write("header.csv", "reviewerID,asin,reviewerName,helpful,reviewText,overall,summary,unixReviewTime,reviewTime\n");
        foreach (var reviews in new[] { bad, headerOnly })
        {
            var db = dir.File("never.db");
            var (code, _, _) = await CliProcess.RunAsync(["ingest", "amazon", "--db", db, "--reviews", reviews], []);
            Assert.Equal(1, code);
            Assert.False(File.Exists(db), $"{Path.GetFileName(reviews)} created a store");
        }
    }

    [Fact]
    public async Task A_hundred_parallel_feedback_calls_end_as_a_sequential_run_of_the_same_feedback()
    {
        var db = fixture.Copy("parallel.db");
        var replay = fixture.Copy("replay.db");
        string[] items;
        int before;
        using (var store = ExplainerStore.Open(db, create: false))
        {
            var reviewed = store.ReviewsByUser(User).Select(r => r.ItemId).ToHashSet();
            items = [.. store.Items().Select(i => i.Id).Where(i => !reviewed.Contains(i)).Order(StringComparer.Ordinal).Take(100)];
            before = store.FindProfile(User)!.Version;
        }

        string[] kinds = ["like", "dislike", "not-interested"];
        await using (var serve = await ServeProcess.StartAsync(db))
        {
            var responses = await Task.WhenAll(items.Select((item, i) => serve.Client.PostAsJsonAsync($"/v1/users/{User}/feedback", new { itemId = item, kind = kinds[i % 3] })));
            Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var versions = await Task.WhenAll(responses.Select(async r => JsonDocument.Parse(await r.Content.ReadAsStringAsync()).RootElement.GetProperty("profileVersion").GetInt32()));
            Assert.Equal(Enumerable.Range(before + 1, 100), versions.Order()); // every change counted, none twice
            Assert.Equal(0, await serve.StopAsync());
        }

        InterestProfile parallel;
        IReadOnlyList<Feedback> stored;
        using (var store = ExplainerStore.Open(db, create: false))
        {
            parallel = store.FindProfile(User)!;
            stored = store.FeedbackByUser(User);
        }

        Assert.Equal(before + 100, parallel.Version);
        Assert.Equal(100, stored.Count);

        // The same feedback, one at a time in the order it was stored, on another copy.
        await using (var services = RealStore.Services(replay))
        {
            foreach (var f in stored.OrderBy(f => f.Time))
            {
                var service = new FeedbackService(services.GetRequiredService<Core.Storage.IRecommenderStore>(), services.GetRequiredService<Core.Enrichment.PhraseVectors>(), new FixedClock(f.Time));
                await service.ApplyAsync(User, f.ItemId, f.Kind, CancellationToken.None);
            }

            var sequential = services.GetRequiredService<ExplainerStore>().FindProfile(User)!;
            Assert.Equal(parallel.Version, sequential.Version);
            Assert.Equal(Describe(sequential.Keywords), Describe(parallel.Keywords));
        }
    }

    private static string Describe(IEnumerable<Keyword> keywords) =>
        string.Join("\n", keywords.Select(k => $"{k.Text} {k.Polarity} {k.Weight.ToString("R", CultureInfo.InvariantCulture)}"));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }

    [Fact]
    public async Task Ids_are_exact_over_http()
    {
        var db = fixture.Copy("case.db");
        await using var serve = await ServeProcess.StartAsync(db);
        using var exact = await serve.Client.GetAsync($"/v1/users/{User}/profile");
        using var lower = await serve.Client.GetAsync($"/v1/users/{User.ToLowerInvariant()}/profile");
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, lower.StatusCode);
        Assert.Equal(0, await serve.StopAsync());
    }

    private static async Task WaitUntilAsync(Func<bool> condition, Process process)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.False(process.HasExited, "the process exited before it took the store");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the process never took the store");
            await Task.Delay(20);
        }
    }
}

/// <summary>A small tmpfs (root only, where the kernel allows it), to fill a disk for real.</summary>
internal sealed class SmallDisk : IDisposable
{
    private readonly string _filler;

    private SmallDisk(string path)
    {
        Path = path;
        _filler = System.IO.Path.Combine(path, "filler");
    }

    public string Path { get; }

    public static SmallDisk? TryMount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        using var mount = Process.Start(new ProcessStartInfo("mount", ["-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path]) { RedirectStandardError = true })!;
        mount.WaitForExit();
        return mount.ExitCode == 0 ? new SmallDisk(path) : null;
    }

    /// <summary>Writes a filler file until only <paramref name="megabytes"/> MB are free.</summary>
    public void FillLeaving(int megabytes)
    {
        var free = new DriveInfo(Path).AvailableFreeSpace;
        var size = free - ((long)megabytes << 20);
        using var file = File.Create(_filler);
        var block = new byte[1 << 20];
        for (long written = 0; written < size; written += block.Length)
        {
            file.Write(block, 0, (int)Math.Min(block.Length, size - written));
        }
    }

    public void Unfill() => File.Delete(_filler);

    public void Dispose()
    {
        using var umount = Process.Start(new ProcessStartInfo("umount", ["-l", Path]) { RedirectStandardError = true })!;
        umount.WaitForExit();
    }
}
