using System.Collections.Concurrent;

namespace Explainer.Core.Ranking;

/// <summary>
/// Zeroed float arrays of one length (a ranker's item count), reused across requests. At 90k items a request needs
/// about ten 360 KB columns; allocated fresh they land on the large-object heap and their collection showed up as
/// request time and as gigabytes of RSS under load. <see cref="ArrayPool{T}"/> is not used because it hands out longer
/// arrays, and the columns' length is the catalogue's.
/// </summary>
internal sealed class ColumnPool(int length, int capacity = 64)
{
    private readonly ConcurrentBag<float[]> _free = [];

    /// <summary>A zeroed array of the pool's length.</summary>
    public float[] Rent()
    {
        if (_free.TryTake(out var array))
        {
            Array.Clear(array);
            return array;
        }

        return new float[length];
    }

    public void Return(params ReadOnlySpan<float[]?> arrays)
    {
        foreach (var array in arrays)
        {
            if (array is not null && array.Length == length && _free.Count < capacity)
            {
                _free.Add(array);
            }
        }
    }
}
