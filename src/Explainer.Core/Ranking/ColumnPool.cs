using System.Collections.Concurrent;

namespace Explainer.Core.Ranking;

/// <summary>
/// Zeroed float arrays of one length (a ranker's item count), reused across requests. At 90k items a request needs
/// about ten 360 KB columns; allocated fresh they land on the large-object heap and their collection showed up as
/// request time and as gigabytes of RSS under load. <see cref="System.Buffers.ArrayPool{T}"/> is not used because it
/// hands out longer arrays, and the columns' length is the catalogue's. At most <see cref="BudgetBytes"/> are kept
/// (at least a few arrays, at most 64).
/// </summary>
internal sealed class ColumnPool
{
    public const long BudgetBytes = 64L << 20;

    private readonly ConcurrentQueue<float[]> _free = new();
    private readonly int _length;
    private readonly int _capacity;
    private int _count;

    public ColumnPool(int length)
    {
        _length = length;
        _capacity = (int)Math.Clamp(BudgetBytes / Math.Max(1L, length * sizeof(float)), 4, 64);
    }

    /// <summary>A zeroed array of the pool's length.</summary>
    public float[] Rent()
    {
        if (_free.TryDequeue(out var array))
        {
            Interlocked.Decrement(ref _count);
            Array.Clear(array);
            return array;
        }

        return new float[_length];
    }

    public void Return(params ReadOnlySpan<float[]?> arrays)
    {
        foreach (var array in arrays)
        {
            if (array is null || array.Length != _length)
            {
                continue;
            }

            if (Interlocked.Increment(ref _count) <= _capacity)
            {
                _free.Enqueue(array);
            }
            else
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
