using Explainer.Core.Domain;
using Xunit.Abstractions;

namespace Explainer.Tests.Pipeline;

[Collection(EnrichedStoreCollection.Name)]
public sealed class ProfileQualityTests(EnrichedStoreFixture fixture, ITestOutputHelper output)
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
                // The keyword's head noun, singular or plural as another review wrote it ("sounds" from "sound hole").
                Assert.Contains(k.Text.Split(' ')[^1].TrimEnd('s'), e.Sentence.Replace("'", "", StringComparison.Ordinal).Replace("’", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    [Fact]
    public void Low_ratings_produce_dislikes()
    {
        // A dislike comes mostly from a low or middling rating, or from a negation ("no hum at all") in a 5-star review;
        // a 5-star review can name a flaw ("the only thing is the flimsy cable"), so a few do not.
        var disliked = fixture.Store.Users().Select(u => fixture.Store.FindProfile(u.Id)!)
            .SelectMany(p => p.Keywords.Where(k => k.Polarity == Polarity.Disliked).Select(k => (p.UserId, k)))
            .ToList();
        Assert.NotEmpty(disliked);
        var unexplained = disliked.Where(d =>
        {
            var review = fixture.Store.ReviewsByUser(d.UserId).Single(r => r.Id == d.k.Evidence[0].ReviewId);
            var negated = new[] { "not", "no", "never", "without", "n't", "nt ", "hardly", "zero", "nor", "w/o" }.Any(n => d.k.Evidence[0].Sentence.Contains(n, StringComparison.OrdinalIgnoreCase));
            return review.Rating > 4 && !negated;
        }).ToList();
        var share = (double)unexplained.Count / disliked.Count;
        output.WriteLine($"{unexplained.Count} of {disliked.Count} dislikes ({share:P1}) come from 5-star reviews without a negation, e.g.:");
        foreach (var (userId, k) in unexplained.Take(15))
        {
            output.WriteLine($"  {userId}: '{k.Text}' <- {k.Evidence[0].Sentence}");
        }

        Assert.True(share <= 0.10, $"{share:P1} of dislikes come from 5-star reviews without a negation");
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
