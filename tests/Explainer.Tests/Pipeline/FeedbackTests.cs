using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Tests.Pipeline;

/// <summary>Feedback on real users changes their stored profile and their next recommendations at once.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class FeedbackTests(EnrichedStoreFixture fixture)
{
    private RecommendationService Recommender => fixture.Services.GetRequiredService<RecommendationService>();

    private FeedbackService Feedback => fixture.Services.GetRequiredService<FeedbackService>();

    [Fact]
    public async Task Dislike_removes_the_item_and_lowers_items_that_share_its_keywords()
    {
        const string user = "A1SD1C8XK3Z3V1";
        var before = await Recommender.ForUserAsync(user, 50, 0, CancellationToken.None);
        var first = before[0];
        var itemKeywords = fixture.Store.FindDescription(first.ItemId)!.Keywords.Where(k => k.Polarity == Polarity.Liked).Take(5).Select(k => k.Text).ToHashSet();
        var words = itemKeywords.SelectMany(k => k.Split(' ')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var versionBefore = fixture.Store.FindProfile(user)!.Version;

        var profile = await Feedback.ApplyAsync(user, first.ItemId, FeedbackKind.Dislike, CancellationToken.None);

        Assert.Equal(versionBefore + 1, profile!.Version);
        Assert.Equal(profile.Version, fixture.Store.FindProfile(user)!.Version);
        Assert.Contains(fixture.Store.FindProfile(user)!.Keywords, k => itemKeywords.Contains(k.Text) && k.Polarity == Polarity.Disliked);

        var after = await Recommender.ForUserAsync(user, 50, 0, CancellationToken.None);
        Assert.DoesNotContain(after, r => r.ItemId == first.ItemId);

        // Items whose descriptions share words of the disliked item's keywords drop (or leave the list).
        var sharing = before.Skip(1).Where(r => fixture.Store.FindDescription(r.ItemId)!.Keywords.Take(10).Any(k => k.Text.Split(' ').Any(words.Contains))).ToList();
        Assert.NotEmpty(sharing);
        var rankBefore = sharing.Average(r => r.Rank);
        var rankAfter = sharing.Average(r => after.FirstOrDefault(a => a.ItemId == r.ItemId)?.Rank ?? 51);
        Assert.True(rankAfter > rankBefore, $"items sharing the disliked keywords should drop: mean rank {rankBefore} -> {rankAfter}");
    }

    [Fact]
    public async Task Like_raises_similar_items_and_survives_a_restart()
    {
        const string user = "A15TYOEWBQYF0X";
        var before = await Recommender.ForUserAsync(user, 100, 0, CancellationToken.None);
        var liked = before[20];
        var words = fixture.Store.FindDescription(liked.ItemId)!.Keywords.Where(k => k.Polarity == Polarity.Liked).Take(5)
            .SelectMany(k => k.Text.Split(' ')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var sharing = before.Where(r => r.ItemId != liked.ItemId && fixture.Store.FindDescription(r.ItemId)!.Keywords.Take(10).Any(k => k.Text.Split(' ').Any(words.Contains))).ToList();
        Assert.NotEmpty(sharing);

        await Feedback.ApplyAsync(user, liked.ItemId, FeedbackKind.Like, CancellationToken.None);
        var after = await Recommender.ForUserAsync(user, 100, 0, CancellationToken.None);

        Assert.DoesNotContain(after, r => r.ItemId == liked.ItemId);

        // The liked item's keywords gained weight: items that share them score higher on the keyword part ...
        var stillListed = sharing.Where(r => after.Any(a => a.ItemId == r.ItemId)).ToList();
        Assert.NotEmpty(stillListed);
        var partBefore = stillListed.Average(r => r.Breakdown.Keywords);
        var partAfter = stillListed.Average(r => after.First(a => a.ItemId == r.ItemId).Breakdown.Keywords);
        Assert.True(partAfter > partBefore, $"keyword part of items sharing the liked keywords: {partBefore} -> {partAfter}");

        // ... and the items most like the liked one (nearest item vectors) rise in the list.
        var likedVector = fixture.Store.FindEmbedding(EmbeddingKind.ItemDescription, liked.ItemId)!.Vector;
        var nearest = before.Where(r => r.ItemId != liked.ItemId)
            .OrderByDescending(r => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(likedVector, fixture.Store.FindEmbedding(EmbeddingKind.ItemDescription, r.ItemId)!.Vector))
            .Take(10).ToList();
        var rankBefore = nearest.Average(r => r.Rank);
        var rankAfter = nearest.Average(r => after.FirstOrDefault(a => a.ItemId == r.ItemId)?.Rank ?? 101);
        Assert.True(rankAfter < rankBefore, $"items most like the liked one should rise: mean rank {rankBefore} -> {rankAfter}");

        // A new process (new services over the same file) sees the same profile and exclusions.
        var reopened = await RecommendAfterRestart(user);
        Assert.Equal(after.Select(r => r.ItemId).Take(10), reopened.Select(r => r.ItemId).Take(10));
    }

    [Fact]
    public async Task Not_interested_hides_the_item_and_keeps_the_profile()
    {
        const string user = "A2IBPI20UZIR0U";
        var before = await Recommender.ForUserAsync(user, 10, 0, CancellationToken.None);
        var keywords = fixture.Store.FindProfile(user)!.Keywords.Select(k => (k.Text, k.Weight, k.Polarity)).ToList();

        await Feedback.ApplyAsync(user, before[1].ItemId, FeedbackKind.NotInterested, CancellationToken.None);

        var after = await Recommender.ForUserAsync(user, 10, 0, CancellationToken.None);
        Assert.DoesNotContain(after, r => r.ItemId == before[1].ItemId);
        Assert.Equal(keywords, fixture.Store.FindProfile(user)!.Keywords.Select(k => (k.Text, k.Weight, k.Polarity)));
    }

    private async Task<IReadOnlyList<Recommendation>> RecommendAfterRestart(string user)
    {
        // The fixture's store is open in direct mode; a copy stands in for the same file opened by a new process.
        var copy = Path.Combine(Path.GetTempPath(), "explainer-tests", Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
        fixture.Store.Checkpoint();
        File.Copy(fixture.StorePath, copy);
        try
        {
            await using var services = EnrichedStoreFixture.BuildServices(copy);
            return await services.GetRequiredService<RecommendationService>().ForUserAsync(user, 100, 0, CancellationToken.None);
        }
        finally
        {
            File.Delete(copy);
        }
    }
}
