using System.Numerics.Tensors;
using Explainer.Core.Ranking;

namespace Explainer.Tests.Pipeline;

/// <summary>The int8 copy of the item vectors against float32 cosines, at dimensions with and without a SIMD tail.</summary>
public sealed class QuantisedVectorsTests
{
    [Theory]
    [InlineData(256)]
    [InlineData(100)]
    [InlineData(7)]
    public void Int8_cosines_are_within_5e_3_of_float32(int dimension)
    {
        var random = new Random(dimension);
        float[] Vector() => [.. Enumerable.Range(0, dimension).Select(_ => (float)((random.NextDouble() * 2) - 1))];
        var vectors = Enumerable.Range(0, 500).Select(i => i == 3 ? null : Vector()).ToList();
        var index = new ItemVectorIndex(dimension, vectors);
        var first = Vector();
        var second = Vector();
        TensorPrimitives.Divide(first, TensorPrimitives.Norm(first), first);
        TensorPrimitives.Divide(second, TensorPrimitives.Norm(second), second);

        var exactFirst = new float[index.Count];
        var exactSecond = new float[index.Count];
        index.Similarities(first, second, exactFirst, exactSecond);
        var approxFirst = new float[index.Count];
        var approxSecond = new float[index.Count];
        index.Quantised.Similarities(first, second, approxFirst, approxSecond);

        var worst = Enumerable.Range(0, index.Count).Max(i => Math.Max(Math.Abs(exactFirst[i] - approxFirst[i]), Math.Abs(exactSecond[i] - approxSecond[i])));
        Assert.True(worst <= 0.005, $"worst error {worst:E2}");
        Assert.Equal(0, approxFirst[3]); // an item without a vector scores 0, as in float32
        Assert.True(exactFirst.Select(Math.Abs).Max() > 0.1, "the test vectors must not all be orthogonal");
    }

    [Fact]
    public void The_simd_dot_equals_the_plain_sum()
    {
        var random = new Random(5);
        foreach (var length in new[] { 15, 16, 17, 256, 300 })
        {
            var row = Enumerable.Range(0, length).Select(_ => (sbyte)random.Next(-127, 128)).ToArray();
            var query = Enumerable.Range(0, length).Select(_ => (short)random.Next(short.MinValue + 1, short.MaxValue)).ToArray();
            Assert.Equal(row.Zip(query).Sum(p => p.First * p.Second), QuantisedVectors.Dot(row, query));
        }
    }
}
