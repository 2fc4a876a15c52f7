using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Explainer.Core.Ranking;

/// <summary>
/// The item vectors as int8 (each row scaled by its own largest magnitude to ±127), a quarter of the float32 bytes.
/// A pass over a large catalogue is bound by memory bandwidth, not arithmetic, so reading a quarter of the bytes is
/// what makes it cheaper; the dot products are approximate (about 1e-3 on a cosine) and are used only to pick
/// candidates that are then scored exactly in float32. The query side is int16, so the query adds almost no error.
/// </summary>
public sealed class QuantisedVectors
{
    private readonly sbyte[] _data;
    private readonly float[] _scales;

    public QuantisedVectors(ItemVectorIndex index)
    {
        Dimension = index.Dimension;
        Count = index.Count;
        _data = new sbyte[checked(Count * Dimension)];
        _scales = new float[Count];
        for (var i = 0; i < Count; i++)
        {
            var row = index.Vector(i);
            var max = TensorPrimitives.MaxMagnitude(row);
            if (max == 0)
            {
                continue;
            }

            _scales[i] = max / 127f;
            var target = _data.AsSpan(i * Dimension, Dimension);
            for (var d = 0; d < Dimension; d++)
            {
                target[d] = (sbyte)Math.Round(row[d] / _scales[i]);
            }
        }
    }

    public int Dimension { get; }

    public int Count { get; }

    /// <summary>Whether the int8 dot product runs in SIMD here (AVX2); without it the float32 pass is faster.</summary>
    public static bool IsAccelerated => Avx2.IsSupported;

    /// <summary>Approximate dot products of two queries with every row in one pass; an empty <paramref name="second"/> leaves its scores untouched.</summary>
    public void Similarities(ReadOnlySpan<float> first, ReadOnlySpan<float> second, Span<float> firstScores, Span<float> secondScores)
    {
        var (a, aScale) = Quantise(first);
        var both = !second.IsEmpty;
        var (b, bScale) = both ? Quantise(second) : ([], 0);
        for (var i = 0; i < Count; i++)
        {
            var row = _data.AsSpan(i * Dimension, Dimension);
            firstScores[i] = Dot(row, a) * aScale * _scales[i];
            if (both)
            {
                secondScores[i] = Dot(row, b) * bScale * _scales[i];
            }
        }
    }

    private static (short[] Values, float Scale) Quantise(ReadOnlySpan<float> query)
    {
        var max = TensorPrimitives.MaxMagnitude(query);
        var values = new short[query.Length];
        if (max == 0)
        {
            return (values, 0);
        }

        // |Σ| ≤ dimension · 127 · limit must stay inside int32 (at 256 dimensions the int16 range already does).
        var limit = Math.Min(short.MaxValue, int.MaxValue / (127 * Math.Max(1, query.Length)));
        var scale = max / limit;
        for (var d = 0; d < query.Length; d++)
        {
            values[d] = (short)Math.Round(query[d] / scale);
        }

        return (values, scale);
    }

    /// <summary>Σ row[d]·query[d] in int32: 16 dimensions per step (int8 widened to int16, pairwise multiply-add).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int Dot(ReadOnlySpan<sbyte> row, ReadOnlySpan<short> query)
    {
        var d = 0;
        var sum = 0;
        if (Avx2.IsSupported && row.Length >= 16)
        {
            var acc = Vector256<int>.Zero;
            ref var r = ref MemoryMarshal.GetReference(row);
            ref var q = ref MemoryMarshal.GetReference(query);
            for (; d <= row.Length - 16; d += 16)
            {
                var wide = Avx2.ConvertToVector256Int16(Vector128.LoadUnsafe(ref r, (nuint)d));
                acc = Avx2.Add(acc, Avx2.MultiplyAddAdjacent(wide, Vector256.LoadUnsafe(ref q, (nuint)d)));
            }

            sum = Vector256.Sum(acc);
        }

        for (; d < row.Length; d++)
        {
            sum += row[d] * query[d];
        }

        return sum;
    }
}
