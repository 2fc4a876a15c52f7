using System.Numerics.Tensors;

namespace Explainer.Core.Ranking;

/// <summary>
/// Item vectors in one contiguous, row-major block (L2-normalised when added, so cosine is a dot product),
/// scored with SIMD dot products and cut to top-k by partial selection instead of a full sort.
/// </summary>
public sealed class ItemVectorIndex
{
    private readonly float[] _data;
    private readonly Lazy<QuantisedVectors> _quantised;

    public ItemVectorIndex(int dimension, IReadOnlyList<float[]?> vectors)
    {
        Dimension = dimension;
        Count = vectors.Count;
        _data = new float[checked(Count * dimension)];
        Present = new bool[Count];
        _quantised = new Lazy<QuantisedVectors>(() => new QuantisedVectors(this));
        for (var i = 0; i < Count; i++)
        {
            if (vectors[i] is not { } v)
            {
                continue;
            }

            if (v.Length != dimension)
            {
                throw new ArgumentException($"Vector {i} has {v.Length} dimensions, the index {dimension}.", nameof(vectors));
            }

            var row = _data.AsSpan(i * dimension, dimension);
            var norm = TensorPrimitives.Norm(v);
            if (norm > 0)
            {
                TensorPrimitives.Divide(v, norm, row);
                Present[i] = true;
            }
        }
    }

    public int Dimension { get; }

    public int Count { get; }

    /// <summary>Whether item i has a (non-zero) vector.</summary>
    public bool[] Present { get; }

    public ReadOnlySpan<float> Vector(int item) => _data.AsSpan(item * Dimension, Dimension);

    /// <summary>The same vectors as int8, built on first use (only large catalogues use them: a quarter more memory).</summary>
    public QuantisedVectors Quantised => _quantised.Value;

    /// <summary>Cosine of <paramref name="query"/> (normalised) with every item, into <paramref name="scores"/>; items without a vector get 0.</summary>
    public void Similarities(ReadOnlySpan<float> query, Span<float> scores)
    {
        for (var i = 0; i < Count; i++)
        {
            scores[i] = TensorPrimitives.Dot(query, _data.AsSpan(i * Dimension, Dimension));
        }
    }

    /// <summary>
    /// Cosines of two queries with every item in one pass over the rows (each row is read from memory once; the second
    /// dot product finds it in L1). An empty <paramref name="second"/> leaves <paramref name="secondScores"/> untouched.
    /// </summary>
    public void Similarities(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> firstScores, Span<float> secondScores)
    {
        var both = !second.IsEmpty;
        for (var i = 0; i < Count; i++)
        {
            var row = _data.AsSpan(i * Dimension, Dimension);
            firstScores[i] = TensorPrimitives.Dot(first, row);
            if (both)
            {
                secondScores[i] = TensorPrimitives.Dot(second, row);
            }
        }
    }

    /// <summary>Indexes of the <paramref name="k"/> highest scores, best first, skipping <paramref name="excluded"/>; ties go to the lower index.</summary>
    public static int[] TopK(ReadOnlySpan<float> scores, int k, Func<int, bool>? excluded = null)
    {
        // A min-heap of size k: O(n log k), no full sort of the catalog. Once it is full, an item that does not beat its
        // minimum is skipped before any heap work (the common case: most of a catalogue is below the top k).
        var heap = new PriorityQueue<int, (float Score, int NegIndex)>(k + 1);
        var min = (Score: float.NegativeInfinity, NegIndex: int.MinValue);
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            if (heap.Count == k && (score < min.Score || (score == min.Score && -i < min.NegIndex)))
            {
                continue;
            }

            if (float.IsNaN(score) || excluded?.Invoke(i) == true)
            {
                continue;
            }

            heap.Enqueue(i, (score, -i));
            if (heap.Count > k)
            {
                heap.Dequeue();
            }

            if (heap.Count == k)
            {
                heap.TryPeek(out _, out min);
            }
        }

        var result = new int[heap.Count];
        for (var n = result.Length - 1; n >= 0; n--)
        {
            result[n] = heap.Dequeue();
        }

        return result;
    }
}
