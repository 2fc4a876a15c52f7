using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Recommending;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Tests.Pipeline;

[Collection(EnrichedStoreCollection.Name)]
public sealed class RecommendationTests(EnrichedStoreFixture fixture)
{
    private RecommendationService Recommender => fixture.Services.GetRequiredService<RecommendationService>();

    private FeedbackService Feedback => fixture.Services.GetRequiredService<FeedbackService>();

    [Fact]
    public async Task Ten_unseen_items_with_scores_and_matched_keywords()
    {
        const string user = "A2IBPI20UZIR0U";
        var seen = fixture.Store.ReviewsByUser(user).Select(r => r.ItemId).ToHashSet();

        var recs = await Recommender.ForUserAsync(user, 10, 0, CancellationToken.None);

        Assert.Equal(10, recs.Count);
        Assert.Equal(Enumerable.Range(1, 10), recs.Select(r => r.Rank));
        Assert.DoesNotContain(recs, r => seen.Contains(r.ItemId));
        Assert.Equal(10, recs.Select(r => r.ItemId).Distinct().Count());
        Assert.True(recs.Zip(recs.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.True(recs.Count(r => r.MatchedKeywords.Count > 0) >= 8, "most items match some of the user's keywords");
        var profile = fixture.Store.FindProfile(user)!.Keywords.Select(k => k.Text).ToHashSet();
        Assert.All(recs.SelectMany(r => r.MatchedKeywords), m => Assert.Contains(m.Keyword, profile));
    }

    [Fact]
    public async Task Diversity_spreads_the_list_over_more_categories()
    {
        const string user = "A14VAT5EAX3D9S";
        var plain = await Recommender.ForUserAsync(user, 10, 0, CancellationToken.None);
        var diverse = await Recommender.ForUserAsync(user, 10, 0.7, CancellationToken.None);
        int Categories(IEnumerable<Recommendation> recs) => recs.Select(r => fixture.Store.FindItem(r.ItemId)!.LeafCategory).Distinct().Count();
        Assert.True(Categories(diverse) >= Categories(plain), $"{Categories(diverse)} < {Categories(plain)}");
        Assert.NotEqual(plain.Select(r => r.ItemId), diverse.Select(r => r.ItemId));
    }

    [Fact]
    public async Task Cold_start_query_finds_the_kind_of_item_asked_for()
    {
        var recs = await Recommender.ForQueryAsync("a clip-on tuner for my guitar", 10, 0, null, CancellationToken.None);
        var categories = recs.Select(r => fixture.Store.FindItem(r.ItemId)!.LeafCategory).ToList();
        Assert.True(categories.Take(5).Count(c => c == "Tuners") >= 3, string.Join(", ", categories));

        var cables = await Recommender.ForQueryAsync("instrument cable with right angle plug", 5, 0, null, CancellationToken.None);
        Assert.Contains(cables, r => fixture.Store.FindItem(r.ItemId)!.LeafCategory == "Instrument Cables");
    }

    [Fact]
    public async Task Unknown_users_and_items_are_clear_errors()
    {
        Assert.Contains("Unknown user", (await Assert.ThrowsAsync<NotFoundException>(() => Recommender.ForUserAsync("nobody", 10, 0, CancellationToken.None))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAnyAsync<RecommendationException>(() => Feedback.ApplyAsync("A2IBPI20UZIR0U", "no-such-item", FeedbackKind.Like, CancellationToken.None));
        await Assert.ThrowsAsync<QueryNotUnderstoodException>(() => Recommender.ForQueryAsync("  ", 10, 0, null, CancellationToken.None));
        await Assert.ThrowsAsync<QueryNotUnderstoodException>(() => Recommender.ForQueryAsync("asdkjh qwoeiu zzzz", 10, 0, null, CancellationToken.None));
    }

    [Fact]
    public async Task A_cancelled_wait_for_the_first_build_leaves_it_usable()
    {
        // A fresh service: the shared one may be built already by other tests.
        var service = new RecommendationService(fixture.Store, fixture.Services.GetRequiredService<PhraseVectors>(), fixture.Services.GetRequiredService<RankingOptions>());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => service.ForUserAsync("A2IBPI20UZIR0U", 10, 0, cancelled.Token));

        var recs = await service.ForUserAsync("A2IBPI20UZIR0U", 10, 0, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, 10), recs.Select(r => r.Rank));
    }

    [Fact]
    public async Task A_failed_build_is_not_kept_once_the_store_is_fixed()
    {
        using var dir = new TempDir();
        using var store = ExplainerStore.Open(dir.File("items-only.db"));
        await new Importer(store).ImportAmazonAsync(null, TestPaths.AmazonItems);
        var service = new RecommendationService(store, fixture.Services.GetRequiredService<PhraseVectors>(), fixture.Services.GetRequiredService<RankingOptions>());
        var ex = await Assert.ThrowsAsync<RecommendationException>(() => service.ForQueryAsync("guitar tuner", 5, 0, null, CancellationToken.None));
        Assert.StartsWith("No item vectors in the store", ex.Message, StringComparison.Ordinal);

        store.SaveEmbeddings([.. fixture.Store.Embeddings(EmbeddingKind.ItemDescription)]); // as `explainer index` would
        var recs = await service.ForQueryAsync("guitar tuner", 5, 0, null, CancellationToken.None);
        Assert.Equal(5, recs.Count);
    }

    [Fact]
    public async Task Above_the_ease_limit_item_knn_carries_the_collaborative_part_for_every_item()
    {
        // 900 items with reviews, EASE^R limited to 100: the old cap modelled the 100 most reviewed items only and gave
        // every other item no collaborative signal at all.
        var options = fixture.Services.GetRequiredService<RankingOptions>() with { EaseMaxItems = 100 };
        var service = new RecommendationService(fixture.Store, fixture.Services.GetRequiredService<PhraseVectors>(), options);
        var result = await service.RecommendAsync(new RecommendationRequest { UserId = "A2IBPI20UZIR0U", K = 50 }, CancellationToken.None);

        Assert.StartsWith("item-kNN (k=100) over all 900 items with reviews", service.CollaborativeModel, StringComparison.Ordinal);
        Assert.Contains("Ranking:EaseMaxItems = 100", service.CollaborativeModel, StringComparison.Ordinal);
        var reviewCounts = fixture.Store.Reviews().GroupBy(r => r.ItemId).ToDictionary(g => g.Key, g => g.Count());
        var head = reviewCounts.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(100).Select(p => p.Key).ToHashSet();
        var tailWithNeighbours = result.Items.Where(i => !head.Contains(i.Item.Id))
            .Where(i => i.Recommendation.Reasons.Any(r => r.Kind == ReasonKind.Collaborative && r.History.Count > 0)).ToList();
        Assert.NotEmpty(tailWithNeighbours);
        // Without EASE^R the collaborative part is the item-kNN part itself, for every item.
        Assert.All(result.Items, i => Assert.Equal(i.Recommendation.Breakdown.Neighbours, i.Recommendation.Breakdown.Collaborative, 6));

        // Within the limit EASE^R models every item with reviews.
        var full = CollaborativeModelChoice.For(InteractionData.FromReviews(fixture.Store.Reviews(), fixture.Store.Items().Select(i => i.Id)), fixture.Services.GetRequiredService<RankingOptions>());
        Assert.NotNull(full.Ease);
        await full.Ease.FitAsync(InteractionData.FromReviews(fixture.Store.Reviews(), fixture.Store.Items().Select(i => i.Id)), CancellationToken.None);
        Assert.Equal(900, full.Ease.ModelledItems);
    }

    [Fact]
    public async Task Indexing_again_embeds_nothing_that_did_not_change_and_keeps_the_stamp()
    {
        var stamp = fixture.Store.IndexStamp();
        var vectors = fixture.Store.EmbeddingHashes(EmbeddingKind.UserProfile).Count;
        var again = await fixture.Services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);

        Assert.Equal((0, 900, 0, vectors), (again.ItemsEmbedded, again.ItemsUnchanged, again.ProfilesEmbedded, again.ProfilesUnchanged));
        Assert.Equal(stamp, fixture.Store.IndexStamp());
        Assert.Equal(fixture.Store.Embeddings(EmbeddingKind.UserProfile).ToDictionary(e => e.OwnerId, e => e.InputHash), fixture.Store.EmbeddingHashes(EmbeddingKind.UserProfile));
    }

    [Fact]
    public void Ratings_and_liked_item_keywords_read_by_projection_equal_the_full_documents()
    {
        var full = fixture.Store.Reviews().Select(ReviewRating.Of).OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        var light = fixture.Store.ReviewRatings().OrderBy(r => r.Id, StringComparer.Ordinal).ToList();
        Assert.Equal(10_261, light.Count);
        Assert.Equal(full, light);

        var liked = fixture.Store.LikedItemKeywords();
        var descriptions = fixture.Store.Descriptions().ToList();
        Assert.Equal(900, liked.Count);
        Assert.All(descriptions, d => Assert.Equal(d.Keywords.Where(k => k.Polarity == Polarity.Liked).Select(k => k.Text), liked[d.ItemId]));
        Assert.Contains(descriptions, d => d.Keywords.Any(k => k.Polarity != Polarity.Liked)); // the filter has something to leave out
    }
}
