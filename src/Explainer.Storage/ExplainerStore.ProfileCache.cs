using Explainer.Core.Domain;
using Microsoft.Extensions.Caching.Memory;

namespace Explainer.Storage;

/// <summary>
/// Recently read profiles kept in memory. A profile is ~12 KB of BSON on the Amazon data (keywords with their
/// evidence, aspects) and LiteDB took ~0.75 ms to read and map one: most of a served request. The store file is held by
/// one process (the store lock), and every profile write goes through <see cref="SaveProfiles"/> or
/// <see cref="SaveFeedback"/>, which evict what they touch, so the cache cannot serve a profile older than the file.
/// </summary>
public sealed partial class ExplainerStore
{
    /// <summary>How many profiles are kept (when full, MemoryCache compacts the least recently used away): ~12 KB stored, a few times that in memory each.</summary>
    public const int CachedProfiles = 2048;

    private readonly MemoryCache _profiles = new(new MemoryCacheOptions { SizeLimit = CachedProfiles });
    private readonly Lock _profileWrites = new();
    private long _profileGeneration;

    public InterestProfile? FindProfile(string userId)
    {
        if (_profiles.TryGetValue(userId, out InterestProfile? cached) && cached is not null)
        {
            return cached;
        }

        var generation = Interlocked.Read(ref _profileGeneration);
        var profile = Profiles.FindById(userId);
        if (profile is not null)
        {
            // Kept only if no write started since the read: a read racing a write must not put back the old version.
            lock (_profileWrites)
            {
                if (_profileGeneration == generation)
                {
                    _profiles.Set(userId, profile, new MemoryCacheEntryOptions { Size = 1 });
                }
            }
        }

        return profile;
    }

    /// <summary>Runs a write of the profiles of <paramref name="userIds"/>, evicting them from the cache whatever its outcome.</summary>
    private void WritingProfiles(IEnumerable<string> userIds, Action write)
    {
        var ids = userIds.ToList();
        Evict(ids);
        try
        {
            write();
        }
        finally
        {
            Evict(ids);
        }
    }

    private void Evict(List<string> userIds)
    {
        lock (_profileWrites)
        {
            _profileGeneration++;
            foreach (var id in userIds)
            {
                _profiles.Remove(id);
            }
        }
    }
}
