namespace Explainer.Evaluation.Tests;

public sealed class RankingMetricsTests
{
    private const double Tolerance = 1e-9;

    [Theory]
    [InlineData(1, 10, 1.0, 1.0, 1.0)]
    [InlineData(2, 10, 1.0, 0.6309297535714575, 0.5)] // 1/log2(3)
    [InlineData(3, 10, 1.0, 0.5, 1.0 / 3)] // 1/log2(4)
    [InlineData(10, 10, 1.0, 0.28906482631788782, 0.1)] // 1/log2(11)
    [InlineData(11, 10, 0.0, 0.0, 1.0 / 11)]
    [InlineData(500, 10, 0.0, 0.0, 0.002)]
    public void Hit_rate_ndcg_and_reciprocal_rank_of_a_single_held_out_item(int rank, int k, double hr, double ndcg, double rr)
    {
        Assert.Equal(hr, RankingMetrics.HitRate(rank, k), Tolerance);
        Assert.Equal(ndcg, RankingMetrics.Ndcg(rank, k), Tolerance);
        Assert.Equal(rr, RankingMetrics.ReciprocalRank(rank), Tolerance);
    }

    [Fact]
    public void Coverage_is_the_share_of_the_catalog_in_any_list()
    {
        int[][] lists = [[0, 1, 2], [2, 3, 1], [4, 0, 1]];
        Assert.Equal(5.0 / 20, RankingMetrics.Coverage(lists, 20), Tolerance);
        Assert.Equal(0, RankingMetrics.Coverage([], 20), Tolerance);
    }

    [Fact]
    public void Intra_list_diversity_is_the_mean_pairwise_dissimilarity()
    {
        // sim(0,1) = 0.5, sim(0,2) = 0, sim(1,2) = 1 → dissimilarities 0.5, 1, 0 → mean 0.5
        static float Sim(int a, int b) => (Math.Min(a, b), Math.Max(a, b)) switch
        {
            (0, 1) => 0.5f,
            (0, 2) => 0f,
            (1, 2) => 1f,
            _ => throw new InvalidOperationException(),
        };

        Assert.Equal(0.5, RankingMetrics.IntraListDiversity([0, 1, 2], Sim), 1e-6);
        Assert.Equal(0.5, RankingMetrics.IntraListDiversity([1, 0], Sim), 1e-6);
        Assert.Equal(0, RankingMetrics.IntraListDiversity([2], Sim), Tolerance);
    }

    [Fact]
    public void Popularity_head_is_the_smallest_most_popular_set_covering_a_fifth_of_interactions()
    {
        // total 20 → 4 needed; item 2 alone (10) covers it
        Assert.Equal([false, false, true, false, false], RankingMetrics.PopularityHead([1, 5, 10, 3, 1]));

        // total 20 over ten items of 2 → two items needed; ties go to the lower index
        Assert.Equal([true, true, false, false, false, false, false, false, false, false], RankingMetrics.PopularityHead(Enumerable.Repeat(2, 10).ToArray()));

        // total 10 → 2 needed; all equal → items 0 and 1
        Assert.Equal([0, 1], RankingMetrics.PopularityHead(Enumerable.Repeat(1, 10).ToArray()).Select((h, i) => (h, i)).Where(t => t.h).Select(t => t.i));

        // nothing interacted with: no head
        Assert.DoesNotContain(true, RankingMetrics.PopularityHead([0, 0, 0]));
    }

    [Fact]
    public void Long_tail_share_counts_items_outside_the_head()
    {
        bool[] head = [true, true, false, false];
        Assert.Equal(0.5, RankingMetrics.LongTailShare([0, 2, 1, 3], head), Tolerance);
        Assert.Equal(0, RankingMetrics.LongTailShare([0, 1], head), Tolerance);
        Assert.Equal(1, RankingMetrics.LongTailShare([3], head), Tolerance);
    }

    [Fact]
    public void Novelty_is_the_mean_self_information_of_item_popularity()
    {
        int[] counts = [4, 2, 1, 0];

        // p = 4/8, 2/8 → −log2 = 1, 2 → mean 1.5
        Assert.Equal(1.5, RankingMetrics.Novelty([0, 1], counts, 8), Tolerance);

        // an unseen item counts as one interaction: −log2(1/8) = 3, like item 2
        Assert.Equal(3, RankingMetrics.Novelty([3], counts, 8), Tolerance);
        Assert.Equal(3, RankingMetrics.Novelty([2], counts, 8), Tolerance);
    }

    [Fact]
    public void Rank_and_top_k_break_ties_by_lower_index_and_skip_excluded_items()
    {
        float[] scores = [0.5f, 0.9f, float.NegativeInfinity, 0.5f, 0.7f, 0.5f];
        Assert.Equal(1, TopK.RankOf(scores, 1));
        Assert.Equal(2, TopK.RankOf(scores, 4));
        Assert.Equal(3, TopK.RankOf(scores, 0));
        Assert.Equal(4, TopK.RankOf(scores, 3));
        Assert.Equal(5, TopK.RankOf(scores, 5));
        Assert.Equal([1, 4, 0], TopK.Select(scores, 3));
        Assert.Equal([1, 4, 0, 3, 5], TopK.Select(scores, 10)); // only five candidates

        // the rank of every item in the top-k equals its position + 1
        var top = TopK.Select(scores, 5);
        for (var p = 0; p < top.Length; p++)
        {
            Assert.Equal(p + 1, TopK.RankOf(scores, top[p]));
        }
    }

    [Fact]
    public void Cooccurrence_cosine_matches_a_hand_computed_case()
    {
        // users: a {x, y}, b {x, y, z}, c {x}
        var data = Explainer.Core.Ranking.InteractionData.FromReviews(
            [TestData.Review("a", "x", 1), TestData.Review("a", "y", 2), TestData.Review("b", "x", 1), TestData.Review("b", "y", 2), TestData.Review("b", "z", 3), TestData.Review("c", "x", 1)],
            ["x", "y", "z", "w"]);
        var cos = new CooccurrenceCosine(data);
        int x = data.ItemIndex["x"], y = data.ItemIndex["y"], z = data.ItemIndex["z"], w = data.ItemIndex["w"];
        Assert.Equal(2 / Math.Sqrt(3 * 2), cos.Similarity(x, y), 1e-6); // users of x {a,b,c}, of y {a,b}
        Assert.Equal(1 / Math.Sqrt(3 * 1), cos.Similarity(x, z), 1e-6);
        Assert.Equal(1, cos.Similarity(x, x), 1e-6);
        Assert.Equal(0, cos.Similarity(x, w), 1e-6);
    }
}
