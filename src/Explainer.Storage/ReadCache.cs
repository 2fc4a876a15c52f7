using Microsoft.Extensions.Caching.Memory;

namespace Explainer.Storage;

/// <summary>
/// Documents recently read from the store, kept in memory until a write touches them. A read records the write
/// generation before it goes to LiteDB and keeps its result only if no write started meanwhile, so a read racing a
/// write can never put back the old version; writers evict before and after writing. When full, MemoryCache compacts
/// the least recently used entries away.
/// </summary>
internal sealed class ReadCache<T>(int capacity) : IDisposable
    where T : class
{
    private readonly MemoryCache _entries = new(new MemoryCacheOptions { SizeLimit = capacity });
    private readonly Lock _writes = new();
    private long _generation;

    public T? Get(string key, Func<string, T?> read)
    {
        if (_entries.TryGetValue(key, out T? cached) && cached is not null)
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _generation);
        var value = read(key);
        if (value is not null)
        {
            lock (_writes)
            {
                if (_generation == generation)
                {
                    _entries.Set(key, value, new MemoryCacheEntryOptions { Size = 1 });
                }
            }
        }

        return value;
    }

    /// <summary>The values of <paramref name="keys"/> that exist: cached ones from memory, the rest by one <paramref name="read"/> of them all.</summary>
    public IReadOnlyDictionary<string, T> GetMany(IEnumerable<string> keys, Func<IReadOnlyCollection<string>, IReadOnlyDictionary<string, T>> read)
    {
        var found = new Dictionary<string, T>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var key in keys.Distinct(StringComparer.Ordinal))
        {
            if (_entries.TryGetValue(key, out T? cached) && cached is not null)
            {
                found[key] = cached;
            }
            else
            {
                missing.Add(key);
            }
        }

        if (missing.Count == 0)
        {
            return found;
        }

        var generation = Interlocked.Read(ref _generation);
        var values = read(missing);
        lock (_writes)
        {
            var keep = _generation == generation;
            foreach (var (key, value) in values)
            {
                found[key] = value;
                if (keep)
                {
                    _entries.Set(key, value, new MemoryCacheEntryOptions { Size = 1 });
                }
            }
        }

        return found;
    }

    /// <summary>Runs <paramref name="write"/>, evicting <paramref name="keys"/> (null: everything) before and after, whatever its outcome.</summary>
    public void Writing(IReadOnlyCollection<string>? keys, Action write)
    {
        Evict(keys);
        try
        {
            write();
        }
        finally
        {
            Evict(keys);
        }
    }

    /// <summary>Forgets <paramref name="keys"/> (null: everything) and makes reads that started before this not keep what they read.</summary>
    public void Evict(IReadOnlyCollection<string>? keys)
    {
        lock (_writes)
        {
            _generation++;
            if (keys is null)
            {
                _entries.Compact(1.0);
                return;
            }

            foreach (var key in keys)
            {
                _entries.Remove(key);
            }
        }
    }

    public void Dispose() => _entries.Dispose();
}
