using Explainer.Core.Ranking;

namespace Explainer.Tests.Pipeline;

/// <summary>The top-k kernel against a plain full sort, on scores with many ties, NaNs and excluded items.</summary>
public sealed class TopKTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(10, 2)]
    [InlineData(10, 3)]
    [InlineData(100, 4)]
    [InlineData(5000, 5)]
    public void TopK_equals_a_full_sort_with_ties_to_the_lower_index(int k, int seed)
    {
        var random = new Random(seed);
        var scores = new float[20_000];
        for (var i = 0; i < scores.Length; i++)
        {
            // Few distinct values, so ties are everywhere; some NaNs; rising and falling runs so the minimum moves.
            scores[i] = random.Next(10) == 0 ? float.NaN : (float)Math.Round(random.NextDouble() * 50) + (i % 7 == 0 ? 100 : 0);
        }

        bool Excluded(int i) => i % 13 == 0;

        var expected = Enumerable.Range(0, scores.Length)
            .Where(i => !float.IsNaN(scores[i]) && !Excluded(i))
            .OrderByDescending(i => scores[i]).ThenBy(i => i)
            .Take(k)
            .ToArray();

        Assert.Equal(expected, ItemVectorIndex.TopK(scores, k, Excluded));
    }

    [Fact]
    public void TopK_of_fewer_items_than_k_returns_them_all_best_first()
    {
        Assert.Equal([2, 0, 1], ItemVectorIndex.TopK([0.5f, 0.5f, 0.9f, float.NaN], 10));
        Assert.Empty(ItemVectorIndex.TopK([], 3));
    }
}
