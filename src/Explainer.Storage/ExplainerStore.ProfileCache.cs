using Explainer.Core.Domain;
using LiteDB;

namespace Explainer.Storage;

/// <summary>
/// What a served request reads, kept in memory (see <see cref="ReadCache{T}"/>). A profile is ~12 KB of BSON on the
/// Amazon data (keywords with their evidence, aspects) and took ~0.75 ms to read and map; a user's reviews ~0.2 ms; the
/// ten recommended items' descriptions (~11 KB each) ~4 ms. The store file is held by one process (the store lock);
/// every profile write goes through <see cref="SaveProfiles"/> or <see cref="SaveFeedback"/>, every description write
/// through <see cref="SaveDescriptions"/>, which evict what they touch, and every review write through an ingest
/// session, which evicts all cached reviews when it commits or rolls back.
/// </summary>
public sealed partial class ExplainerStore
{
    /// <summary>How many users' profiles, users' reviews and items' descriptions are kept: a few times ~12 KB each in memory.</summary>
    public const int CachedUsers = 2048;

    private readonly ReadCache<InterestProfile> _profiles = new(CachedUsers);
    private readonly ReadCache<IReadOnlyList<Review>> _reviewsByUser = new(CachedUsers);
    private readonly ReadCache<ItemDescription> _descriptions = new(CachedUsers);

    public InterestProfile? FindProfile(string userId) => _profiles.Get(userId, id => Profiles.FindById(id));

    public IReadOnlyList<Review> ReviewsByUser(string userId) =>
        _reviewsByUser.Get(userId, id => [.. _db.GetCollection<Review>(Collections.Reviews).Find(Query.EQ("UserId", id)).OrderBy(r => r.Time)])!;

    private void WritingProfiles(IEnumerable<string> userIds, Action write) => _profiles.Writing([.. userIds], write);
}
