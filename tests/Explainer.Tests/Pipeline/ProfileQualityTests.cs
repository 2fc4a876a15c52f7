using Explainer.Core.Domain;

namespace Explainer.Tests.Pipeline;

[Collection(EnrichedStoreCollection.Name)]
public sealed class ProfileQualityTests(EnrichedStoreFixture fixture)
{
    /// <summary>Phrases a person would not accept as an interest.</summary>
    private static readonly string[] Filler =
    [
        "great product", "good product", "nice product", "this product", "product", "item", "bought this", "buy this", "works great",
        "work great", "great price", "good price", "price", "money", "highly recommend", "recommend", "five stars", "5 stars", "stars",
        "great quality", "good quality", "quality", "amazon", "thing", "things", "stuff", "great", "good", "nice", "love", "purchase",
        "great value", "good value", "well made", "job", "problem", "issue", "lot", "time", "use",
    ];

    [Fact]
    public void Every_user_and_item_was_enriched_by_the_extractive_engine()
    {
        Assert.Equal(1_429, fixture.Enrichment.UsersEnriched);
        Assert.Equal(900, fixture.Enrichment.ItemsEnriched);
        var profiles = fixture.Store.Users().Select(u => fixture.Store.FindProfile(u.Id)).ToList();
        Assert.All(profiles, p => Assert.StartsWith("extractive/", p!.Engine, StringComparison.Ordinal));
        Assert.All(fixture.Store.Descriptions(), d => Assert.StartsWith("extractive/", d.Engine, StringComparison.Ordinal));
    }

    [Fact]
    public void No_profile_has_filler_in_its_top_ten_keywords()
    {
        var offenders = fixture.Store.Users()
            .Select(u => fixture.Store.FindProfile(u.Id)!)
            .SelectMany(p => p.Keywords.Take(10).Where(k => Filler.Contains(k.Text, StringComparer.OrdinalIgnoreCase)).Select(k => $"{p.UserId}: {k.Text}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Keywords_carry_weight_polarity_and_evidence_from_the_users_own_reviews()
    {
        foreach (var user in fixture.Store.Users().Take(200))
        {
            var profile = fixture.Store.FindProfile(user.Id)!;
            var reviews = fixture.Store.ReviewsByUser(user.Id).ToDictionary(r => r.Id);
            // ReviewKeywords: what the reviews gave, before any feedback other tests may have recorded.
            Assert.NotEmpty(profile.ReviewKeywords);
            Assert.Equal(1.0, profile.ReviewKeywords.Max(k => k.Weight), 6);
            Assert.True(profile.ReviewKeywords.Zip(profile.ReviewKeywords.Skip(1)).All(p => p.First.Weight >= p.Second.Weight), "keywords are ordered by weight");
            foreach (var k in profile.ReviewKeywords)
            {
                var e = Assert.Single(k.Evidence.Take(1));
                Assert.True(reviews.ContainsKey(e.ReviewId), $"{user.Id}: evidence {e.ReviewId} is not the user's review");
                var review = reviews[e.ReviewId];
                Assert.Contains(e.Sentence, $"{review.Summary}. {review.Text}", StringComparison.Ordinal);
                Assert.Contains(k.Text.Split(' ')[^1], e.Sentence.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Low_ratings_produce_dislikes()
    {
        // A dislike comes from a low or middling rating, or from a negation ("no hum at all") in a 5-star review.
        var disliked = fixture.Store.Users().Select(u => fixture.Store.FindProfile(u.Id)!)
            .SelectMany(p => p.Keywords.Where(k => k.Polarity == Polarity.Disliked).Select(k => (p.UserId, k)))
            .ToList();
        Assert.NotEmpty(disliked);
        foreach (var (userId, k) in disliked.Take(100))
        {
            var review = fixture.Store.ReviewsByUser(userId).Single(r => r.Id == k.Evidence[0].ReviewId);
            var negated = new[] { "not", "no", "never", "without", "n't", "nt ", "hardly", "zero", "nor" }.Any(n => k.Evidence[0].Sentence.Contains(n, StringComparison.OrdinalIgnoreCase));
            Assert.True(review.Rating <= 4 || negated, $"{userId}: '{k.Text}' is a dislike from a {review.Rating}-star review without negation: {k.Evidence[0].Sentence}");
        }
    }

    [Fact]
    public void Profiles_have_a_few_labelled_topics()
    {
        var profile = fixture.Store.FindProfile("A2IBPI20UZIR0U")!;
        Assert.InRange(profile.Topics.Count, 1, 5);
        Assert.All(profile.Topics, t => Assert.Contains(t.Label, t.Keywords));
        Assert.All(profile.Topics.SelectMany(t => t.Keywords), k => Assert.Contains(profile.Keywords, x => x.Text == k));
    }
}
