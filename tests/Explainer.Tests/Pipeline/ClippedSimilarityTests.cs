using System.Numerics.Tensors;
using Explainer.Core.Ranking;

namespace Explainer.Tests.Pipeline;

/// <summary>The four-queries-per-row keyword kernel against the plain one (a dot product per pair, clipped, weighted).</summary>
public sealed class ClippedSimilarityTests
{
    [Theory]
    [InlineData(256, 1)]
    [InlineData(256, 6)]
    [InlineData(256, 40)]
    [InlineData(100, 7)]
    [InlineData(5, 3)]
    public void Equals_the_sum_of_clipped_dot_products(int dimension, int keywords)
    {
        var random = new Random((dimension * 100) + keywords);
        float[] Vector() => [.. Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        var index = new ItemVectorIndex(dimension, [.. Enumerable.Range(0, 300).Select(i => i % 50 == 0 ? null : Vector())]);
        var queries = Enumerable.Range(0, keywords).Select(_ => Vector()).ToList();
        foreach (var q in queries)
        {
            TensorPrimitives.Divide(q, TensorPrimitives.Norm(q), q);
        }

        var coefficients = Enumerable.Range(0, keywords).Select(k => k % 5 == 4 ? -0.5f : (float)random.NextDouble()).ToList();

        var expected = new float[index.Count];
        var sim = new float[index.Count];
        for (var k = 0; k < keywords; k++)
        {
            index.Similarities(queries[k], sim);
            TensorPrimitives.Max(sim, 0f, sim);
            TensorPrimitives.MultiplyAdd(sim, coefficients[k], expected, expected);
        }

        var got = new float[index.Count];
        index.AddClippedSimilarities(queries, coefficients, got);

        Assert.All(Enumerable.Range(0, index.Count), i => Assert.Equal(expected[i], got[i], 1e-5f));
        Assert.Contains(expected, v => v > 0.05f); // the clipping and weights had something to do
        Assert.Equal(0, got[0]); // an item without a vector adds nothing
    }
}
