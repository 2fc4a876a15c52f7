using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Core.Recommending;
using Explainer.Storage;
using Explainer.Tests.Cli;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Tests.Pipeline;

/// <summary>The serving snapshot <c>explainer index</c> saves: read instead of a build, never when it is not the current index.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class ServingSnapshotTests(EnrichedStoreFixture fixture) : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>A copy of the shared store without its snapshot file.</summary>
    private (ServiceProvider Services, ExplainerStore Store) CopyOfStore()
    {
        var services = RealStore.Services(fixture.CopyStore(_dir.File($"copy-{Guid.NewGuid():N}.db")));
        var store = services.GetRequiredService<ExplainerStore>();
        Assert.NotNull(store.FindServingSnapshot()); // saved by the fixture, as `explainer index` does, and copied with the store
        File.Delete(store.SnapshotPath);
        Assert.Null(store.FindServingSnapshot());
        return (services, store);
    }

    private static RecommendationService NewService(IServiceProvider services, RankingOptions? options = null) =>
        new(services.GetRequiredService<ExplainerStore>(), services.GetRequiredService<PhraseVectors>(), options ?? services.GetRequiredService<RankingOptions>(), services.GetRequiredService<IQueryAnalyzer>());

    /// <summary>Lists for 25 users, a query and "more like this": ids and scores, what a shopper and the API see.</summary>
    private static async Task<List<string>> ListsAsync(RecommendationService service, IReadOnlyList<string> users, string likeItem)
    {
        var requests = users.Select(u => new RecommendationRequest { UserId = u, K = 10 })
            .Append(new RecommendationRequest { Query = "a clip-on tuner for my guitar", K = 10 })
            .Append(new RecommendationRequest { LikeItemId = likeItem, K = 10, Diversity = 0.5 });
        var lists = new List<string>();
        foreach (var request in requests)
        {
            var result = await service.RecommendAsync(request, CancellationToken.None);
            lists.Add(string.Join(" ", result.Recommendations.Select(r => $"{r.ItemId}:{r.Score:R}:{string.Join(",", r.Reasons.Select(x => $"{x.Kind}/{x.Share:R}"))}")));
        }

        return lists;
    }

    private static List<string> SomeUsers(ExplainerStore store) =>
        [.. store.Users().Select(u => u.Id).Where(id => store.FindProfile(id) is not null).Order(StringComparer.Ordinal).Where((_, i) => i % 57 == 0).Take(25)];

    [Fact]
    public async Task A_snapshot_serves_exactly_what_a_build_from_the_store_serves()
    {
        var (services, store) = CopyOfStore();
        await using var owned = services;
        var users = SomeUsers(store);
        var like = store.ReviewsByUser(users[0])[0].ItemId;
        var built = NewService(services);
        var expected = await ListsAsync(built, users, like);
        Assert.False(built.LoadedFromSnapshot);

        var (info, written) = await built.SaveSnapshotAsync(CancellationToken.None);
        Assert.True(written);
        Assert.True(info.Bytes > 100_000, $"{info.Bytes} bytes");
        Assert.False((await built.SaveSnapshotAsync(CancellationToken.None)).Written); // current: not written again

        var loaded = NewService(services);
        Assert.Equal(expected, await ListsAsync(loaded, users, like));
        Assert.True(loaded.LoadedFromSnapshot);
        Assert.Equal(built.CollaborativeModel, loaded.CollaborativeModel);
    }

    [Fact]
    public async Task Ingest_and_enrichment_that_change_something_make_the_snapshot_obsolete_and_a_rolled_back_or_empty_import_does_not()
    {
        var (services, store) = CopyOfStore();
        await using var owned = services;
        var service = NewService(services);
        await service.SaveSnapshotAsync(CancellationToken.None);
        var saved = store.FindServingSnapshot();
        Assert.NotNull(saved);

        using (var rolledBack = store.BeginIngest())
        {
            rolledBack.EnsureItem("an-item-nobody-reviewed-yet"); // disposed without a commit: rolled back
        }

        Assert.Equal(saved, store.FindServingSnapshot());
        using (var session = store.BeginIngest())
        {
            session.EnsureItem(store.Items().First().Id); // there already: nothing changes
            session.Commit();
        }

        Assert.Equal(saved, store.FindServingSnapshot());
        using (var session = store.BeginIngest())
        {
            session.EnsureItem("an-item-nobody-reviewed-yet");
            session.Commit();
        }

        Assert.Null(store.FindServingSnapshot());
        var afterImport = NewService(services);
        Assert.NotEmpty((await afterImport.RecommendAsync(new RecommendationRequest { UserId = SomeUsers(store)[0] }, CancellationToken.None)).Recommendations);
        Assert.False(afterImport.LoadedFromSnapshot);

        Assert.True((await service.SaveSnapshotAsync(CancellationToken.None)).Written);
        var description = store.Descriptions().First();
        store.SaveDescriptions([description]);
        Assert.Null(store.FindServingSnapshot());
    }

    [Fact]
    public async Task A_damaged_or_foreign_snapshot_is_not_served_and_the_index_is_built_from_the_store()
    {
        var (services, store) = CopyOfStore();
        await using var owned = services;
        var users = SomeUsers(store).Take(5).ToList();
        var like = store.ReviewsByUser(users[0])[0].ItemId;
        var service = NewService(services);
        var expected = await ListsAsync(service, users, like);
        await service.SaveSnapshotAsync(CancellationToken.None);
        var key = store.FindServingSnapshot()!.Key;
        byte[] whole;
        using (var stream = store.OpenServingSnapshot()!)
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            whole = copy.ToArray();
        }

        // Cut off half way, under the current key: read, found wanting, not served.
        var cut = whole[..(whole.Length / 2)];
        Assert.Contains("cut off", Assert.Throws<InvalidDataException>(() => ServingSnapshot.Read(new MemoryStream(cut))).Message, StringComparison.Ordinal);
        store.SaveServingSnapshot(key, s => s.Write(cut));
        var afterCut = NewService(services);
        Assert.Equal(expected, await ListsAsync(afterCut, users, like));
        Assert.False(afterCut.LoadedFromSnapshot);

        // One byte changed in the middle (in the vectors or ratings, where no length check would see it): the hash does.
        var flipped = (byte[])whole.Clone();
        flipped[whole.Length / 2] ^= 0x40;
        Assert.Contains("SHA-256", Assert.Throws<InvalidDataException>(() => ServingSnapshot.Read(new MemoryStream(flipped))).Message, StringComparison.Ordinal);
        store.SaveServingSnapshot(key, s => s.Write(flipped));
        var afterFlip = NewService(services);
        Assert.Equal(expected, await ListsAsync(afterFlip, users, like));
        Assert.False(afterFlip.LoadedFromSnapshot);
        Assert.True((await service.SaveSnapshotAsync(CancellationToken.None)).Written); // damaged: written again, not "current"

        // The file itself cut off (a copy interrupted): not found at all.
        store.SaveServingSnapshot(key, s => s.Write(whole));
        Assert.NotNull(store.FindServingSnapshot());
        using (var file = new FileStream(store.SnapshotPath, FileMode.Open))
        {
            file.SetLength(file.Length - 1000);
        }

        Assert.Null(store.FindServingSnapshot());
        var afterTruncation = NewService(services);
        Assert.Equal(expected, await ListsAsync(afterTruncation, users, like));
        Assert.False(afterTruncation.LoadedFromSnapshot);

        // Whole, but for other options (another neighbourhood size): not this configuration's index.
        store.SaveServingSnapshot(key, s => s.Write(whole));
        var other = NewService(services, services.GetRequiredService<RankingOptions>() with { Neighbours = 50 });
        _ = await other.RecommendAsync(new RecommendationRequest { UserId = users[0] }, CancellationToken.None);
        Assert.False(other.LoadedFromSnapshot);
        var same = NewService(services);
        Assert.Equal(expected, await ListsAsync(same, users, like));
        Assert.True(same.LoadedFromSnapshot);
    }

    [Fact]
    public async Task Explainer_index_saves_the_snapshot_stats_shows_it_and_recommend_starts_from_it()
    {
        var db = fixture.CopyStore(_dir.File("cli.db"));
        File.Delete(db + ".serving");
        var (statsCode, before) = await CliRunner.RunAsync("stats", "--db", db);
        Assert.Equal(0, statsCode);
        Assert.Contains("No serving snapshot of the current data: `explainer index` saves one", before, StringComparison.Ordinal);

        var (code, output) = await CliRunner.RunAsync("index", "--db", db);
        Assert.True(code == 0, output);
        Assert.Contains("0 items (900 unchanged)", output, StringComparison.Ordinal);
        Assert.Contains("Saved the serving snapshot (", output, StringComparison.Ordinal);
        Assert.True(new FileInfo(db + ".serving").Length > 100_000);
        Assert.Contains("Serving snapshot: ", (await CliRunner.RunAsync("stats", "--db", db)).Output, StringComparison.Ordinal);
        Assert.Contains("The serving snapshot is current.", (await CliRunner.RunAsync("index", "--db", db)).Output, StringComparison.Ordinal);

        var (recommendCode, list) = await CliRunner.RunAsync("recommend", "--db", db, "--user", "A2IBPI20UZIR0U", "-k", "3", "--explain");
        Assert.True(recommendCode == 0, list);
        Assert.Contains("3. ", list, StringComparison.Ordinal);
    }
}
