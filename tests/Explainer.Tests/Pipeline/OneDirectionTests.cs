using System.Collections.Concurrent;
using System.Reflection;
using Explainer.Core.Conversation;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace Explainer.Tests.Pipeline;

/// <summary>
/// One request flows one way: ranking reads what it needs once, and explanation, caching and the response use the
/// result it returns. Filters apply before the top k; a new index is picked up by a running service.
/// </summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class OneDirectionTests(EnrichedStoreFixture fixture, ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task An_explained_request_reads_the_store_a_fixed_small_number_of_times_whatever_k()
    {
        var counting = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch); // frozen: the periodic index-stamp check does not fire mid-test
        await using var services = RealStore.Services(fixture.CopyStore(_dir.File("reads.db")), configure: s =>
        {
            s.AddSingleton<TimeProvider>(clock);
            s.AddSingleton(sp => CountingStore.Wrap(sp.GetRequiredService<ExplainerStore>(), counting));
        });
        var recommendations = services.GetRequiredService<RecommendationService>();
        var explanations = services.GetRequiredService<IExplanationService>();

        // The first request of a process loads the ranker (it reads everything once); measured after that.
        await explanations.ExplainAllAsync(await recommendations.RecommendAsync(new RecommendationRequest { UserId = "A14VAT5EAX3D9S", K = 1 }, CancellationToken.None), CancellationToken.None);

        async Task<IReadOnlyDictionary<string, int>> ReadsAsync(string user, int k)
        {
            counting.Clear();
            var result = await recommendations.RecommendAsync(new RecommendationRequest { UserId = user, K = k }, CancellationToken.None);
            var explained = await explanations.ExplainAllAsync(result, CancellationToken.None);
            Assert.Equal(k, explained.Count);
            var reads = counting.Where(c => CountingStore.IsRead(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
            output.WriteLine($"k={k}: {string.Join(", ", reads.Select(r => $"{r.Key}×{r.Value}"))}");
            return reads;
        }

        var few = await ReadsAsync("A2IBPI20UZIR0U", 3);
        var many = await ReadsAsync("A1L7M2JXN4EZCR", 30);
        var cached = await ReadsAsync("A2IBPI20UZIR0U", 3); // all three served from the store this time

        Assert.Equal(few.OrderBy(r => r.Key, StringComparer.Ordinal), many.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.Equal(few.OrderBy(r => r.Key, StringComparer.Ordinal), cached.OrderBy(r => r.Key, StringComparer.Ordinal));
        Assert.InRange(few.Values.Sum(), 1, 8);
        Assert.All(few, r => Assert.Equal(1, r.Value)); // nothing is read twice
    }

    [Fact]
    public async Task A_tuner_under_8_dollars_in_the_chat_lists_only_tuners_under_8_and_says_how_many_match()
    {
        await using var services = RealStore.Services(fixture.CopyStore(_dir.File("chat.db")));
        var store = services.GetRequiredService<ExplainerStore>();
        var expected = store.Items().Where(i => i.Price is < 8m && IsTuner(i)).Select(i => i.Id).ToHashSet(StringComparer.Ordinal);
        Assert.InRange(expected.Count, 1, 9); // the real data has a few: the list must not be padded to 10

        var session = new ChatSession(services.GetRequiredService<RecommendationService>(), services.GetRequiredService<FeedbackService>(), new RuleBasedIntentParser(), explanations: null);
        var reply = await session.HandleAsync("a tuner under $8", CancellationToken.None);
        var listed = reply.List!.Items.Select(i => i.Item).ToList();
        output.WriteLine(string.Join("\n", listed.Select(i => $"{i.Price} {i.LeafCategory} {i.Title}")));

        Assert.All(listed, i => Assert.True(i.Price < 8m && IsTuner(i), $"{i.Title} ({i.Price}, {i.LeafCategory}) does not match"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), listed.Select(i => i.Id).Order(StringComparer.Ordinal)); // none missed
        Assert.Equal(expected.Count, reply.List.Matching);
        Assert.True(reply.List.QueryMatchedByWords);

        // A category left out applies before the top k as well: no strap comes back, and the list is still full.
        var fresh = new ChatSession(services.GetRequiredService<RecommendationService>(), services.GetRequiredService<FeedbackService>(), new RuleBasedIntentParser(), explanations: null);
        await fresh.HandleAsync("recommend me something", CancellationToken.None);
        var leftOut = (await fresh.HandleAsync("no straps please", CancellationToken.None)).List!;
        Assert.Equal(10, leftOut.Items.Count);
        Assert.DoesNotContain(leftOut.Items, i => (i.Item.Title + " " + i.Item.LeafCategory).Contains("strap", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_new_index_is_served_by_a_running_service_without_a_restart()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch);
        await using var services = RealStore.Services(fixture.CopyStore(_dir.File("reindex.db")), configure: s => s.AddSingleton<TimeProvider>(clock));
        var store = services.GetRequiredService<ExplainerStore>();
        var recommendations = services.GetRequiredService<RecommendationService>();
        var query = new RecommendationRequest { Query = "a telescope", K = RecommendationService.MaxK };

        // No item of the data is or mentions a telescope: the query is ranked by meaning alone.
        var before = await recommendations.RecommendAsync(query, CancellationToken.None);
        Assert.False(before.QueryMatchedByWords);

        // Give one cable the words of the query, and index again (in the same process, as `explainer index` does in its own).
        var cable = store.Items().First(i => i.LeafCategory == "Instrument Cables" && !before.Items.Any(x => x.Item.Id == i.Id));
        var description = store.FindDescription(cable.Id)!;
        store.SaveDescriptions([description with { Keywords = [new Keyword { Text = "telescope", Weight = 1, Polarity = Polarity.Liked }, .. description.Keywords] }]);
        await services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);

        // Until the stamp is looked at again the loaded index serves; after the interval, the new one does.
        Assert.Equal(before.IndexStamp, (await recommendations.RecommendAsync(query, CancellationToken.None)).IndexStamp);
        clock.Advance(RecommendationService.StampCheckInterval);
        var after = await recommendations.RecommendAsync(query, CancellationToken.None);
        Assert.NotEqual(before.IndexStamp, after.IndexStamp);
        Assert.Equal(store.IndexStamp(), after.IndexStamp);
        Assert.True(after.QueryMatchedByWords);
        Assert.Equal([cable.Id], after.Items.Select(x => x.Item.Id)); // the one item whose words now hold it
    }

    public void Dispose() => _dir.Dispose();

    private static bool IsTuner(Item i) =>
        (i.Title ?? string.Empty).Contains("tuner", StringComparison.OrdinalIgnoreCase) || string.Join(' ', i.Categories).Contains("tuner", StringComparison.OrdinalIgnoreCase);
}

/// <summary>A pass-through <see cref="IRecommenderStore"/> that counts calls by method (a runtime proxy, so it never falls behind the interface).</summary>
public class CountingStore : DispatchProxy
{
    private IRecommenderStore _inner = null!;
    private ConcurrentDictionary<string, int> _counts = null!;

    public static IRecommenderStore Wrap(IRecommenderStore inner, ConcurrentDictionary<string, int> counts)
    {
        var proxy = Create<IRecommenderStore, CountingStore>();
        var self = (CountingStore)(object)proxy;
        (self._inner, self._counts) = (inner, counts);
        return proxy;
    }

    /// <summary>A call that reads the store (not a write, not a property such as <c>IsReadOnly</c>).</summary>
    public static bool IsRead(string method) => !method.StartsWith("Save", StringComparison.Ordinal) && !method.StartsWith("Delete", StringComparison.Ordinal) && !method.StartsWith("get_", StringComparison.Ordinal);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        _counts.AddOrUpdate(targetMethod!.Name, 1, (_, n) => n + 1);
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(ex.InnerException).Throw();
            throw;
        }
    }
}
