using Explainer.Core.Ranking;
using Explainer.Evaluation;

namespace Explainer.Tests.Pipeline;

/// <summary>
/// Above <see cref="RankingOptions.ExactKeywordItems"/> the keyword part is exact only for candidates: its top 10 must
/// stay the exact ranker's top 10, on a clustered synthetic catalogue large enough to take that path, with weights
/// under which the keyword part decides many places (the default weights give it too little say for the test to see).
/// </summary>
public sealed class KeywordCandidateTests
{
    public static TheoryData<string> Weightings => ["keywords only", "keywords with the other parts"];

    [Theory]
    [MemberData(nameof(Weightings))]
    public void Candidates_keep_the_exact_top_10(string weighting)
    {
        var options = weighting == "keywords only"
            ? new RankingOptions { KeywordWeight = 1, ProfileWeight = 0, CollaborativeWeight = 0, NeighbourWeight = 0, PopularityWeight = 0, EaseLambda = 0 }
            : new RankingOptions { KeywordWeight = 1, ProfileWeight = 0.5, CollaborativeWeight = 0.2, NeighbourWeight = 0, PopularityWeight = 0.1, EaseLambda = 0 };
        var catalogue = SyntheticCatalogue.Create(items: 12_000, dimension: 64, users: 1500, keywordsPerUser: 30, seed: 11);
        Assert.True(catalogue.Index.Count > options.ExactKeywordItems);
        var (index, data) = (catalogue.Index, catalogue.Data);
        var cooccurrence = new ItemCooccurrence(data, options.Neighbours, options.Shrink);
        var exact = new HybridRanker(index, cooccurrence, data, options with { ExactKeywordItems = int.MaxValue });
        var candidates = new HybridRanker(index, cooccurrence, data, options);
        var withoutKeywords = new HybridRanker(index, cooccurrence, data, options with { KeywordWeight = 0 });

        var users = catalogue.Users.Take(40).ToList();
        var hits = 0;
        var keywordsDecide = 0;
        foreach (var user in users)
        {
            var expected = exact.Rank(user, data.ItemIds, 10).Select(r => r.ItemId).ToList();
            var got = candidates.Rank(user, data.ItemIds, 10).Select(r => r.ItemId).ToList();
            hits += got.Intersect(expected).Count();
            var chosen = candidates.ComputeColumns(user).Candidates;
            Assert.NotNull(chosen);
            Assert.Equal(HybridRanker.KeywordCandidates, chosen.Count);
            Assert.All(got, id => Assert.Contains(data.ItemIndex[id], chosen)); // only items with an exact keyword part are recommended
            Assert.Null(exact.ComputeColumns(user).Candidates);
            keywordsDecide += expected.Except(withoutKeywords.Rank(user, data.ItemIds, 10).Select(r => r.ItemId)).Count();
        }

        var recall = hits / (10.0 * users.Count);
        Assert.True(keywordsDecide > users.Count, $"{weighting}: the keyword part changed only {keywordsDecide} top-10 places: the test would not see a wrong keyword part");
        Assert.True(recall >= 0.95, $"{weighting}: recall@10 against the exact ranker {recall:F3}");
    }
}
