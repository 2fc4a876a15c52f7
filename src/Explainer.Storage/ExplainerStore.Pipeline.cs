using Explainer.Core.Domain;
using Explainer.Core.Storage;
using LiteDB;

namespace Explainer.Storage;

public sealed partial class ExplainerStore : IRecommenderStore
{
    private ILiteCollection<InterestProfile> Profiles => _db.GetCollection<InterestProfile>(Collections.Profiles);

    private ILiteCollection<ItemDescription> DescriptionsCollection => _db.GetCollection<ItemDescription>(Collections.Descriptions);

    private ILiteCollection<Feedback> FeedbackCollection => _db.GetCollection<Feedback>(Collections.Feedback);

    private ILiteCollection<EmbeddingRecord> EmbeddingsCollection => _db.GetCollection<EmbeddingRecord>(Collections.Embeddings);

    IEnumerable<InterestProfile> IRecommenderStore.Profiles() => Profiles.FindAll();

    public IReadOnlyDictionary<string, string> ProfileHashes() => Hashes(Collections.Profiles);

    public void SaveProfiles(IReadOnlyCollection<InterestProfile> profiles, AspectInventoryRecord? aspects = null) => WritingProfiles(profiles.Select(p => p.UserId), () => InTransaction(() =>
    {
        Profiles.Upsert(profiles);
        SaveAspects(aspects);
    }));

    public ItemDescription? FindDescription(string itemId) => _descriptions.Get(itemId, id => DescriptionsCollection.FindById(id));

    public IEnumerable<ItemDescription> Descriptions() => DescriptionsCollection.FindAll();

    public IReadOnlyDictionary<string, ItemDescription> FindDescriptions(IReadOnlyCollection<string> itemIds) =>
        _descriptions.GetMany(itemIds, ids =>
            DescriptionsCollection.Find(Query.In("_id", new BsonArray(ids.Select(id => new BsonValue(id))))).ToDictionary(d => d.ItemId, StringComparer.Ordinal));

    private const string IndexId = "index";

    public string IndexStamp() => _db.GetCollection(Collections.Meta).FindById(IndexId)?["stamp"].AsString ?? string.Empty;

    public void SaveIndexStamp(string stamp) => InTransaction(() =>
        _db.GetCollection(Collections.Meta).Upsert(new BsonDocument { ["_id"] = IndexId, ["stamp"] = stamp, ["at"] = DateTime.UtcNow }));

    public IReadOnlyDictionary<string, string> DescriptionHashes() => Hashes(Collections.Descriptions);

    // A projection: LiteDB still reads each document, but maps five strings instead of keywords, evidence and aspects
    // (87k descriptions: 1.3 s instead of 9.3 s).
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LikedItemKeywords() =>
        _db.GetCollection(Collections.Descriptions).Query().Select("{ i: $._id, k: $.Keywords[@.Polarity = 'Liked'].Text }").ToEnumerable()
            .ToDictionary(d => d["i"].AsString, d => (IReadOnlyList<string>)[.. d["k"].AsArray.Select(t => t.AsString)], StringComparer.Ordinal);

    public void SaveDescriptions(IReadOnlyCollection<ItemDescription> descriptions, AspectInventoryRecord? aspects = null) => _descriptions.Writing([.. descriptions.Select(d => d.ItemId)], () => InTransaction(() =>
    {
        DescriptionsCollection.Upsert(descriptions);
        SaveAspects(aspects);
        RaiseInputsGeneration();
    }));

    private const string AspectsId = "aspects";

    public AspectInventoryRecord? FindAspectInventory() =>
        _db.GetCollection<AspectInventoryDocument>(Collections.Meta).FindById(AspectsId)?.Inventory;

    private void SaveAspects(AspectInventoryRecord? aspects)
    {
        if (aspects is not null)
        {
            _db.GetCollection<AspectInventoryDocument>(Collections.Meta).Upsert(new AspectInventoryDocument { Id = AspectsId, Inventory = aspects });
        }
    }

    /// <summary>The inventory lives in the meta collection as one document.</summary>
    internal sealed class AspectInventoryDocument
    {
        public required string Id { get; init; }

        public required AspectInventoryRecord Inventory { get; init; }
    }

    public IEnumerable<Feedback> Feedback() => FeedbackCollection.FindAll();

    public IReadOnlyList<Feedback> FeedbackByUser(string userId) => [.. FeedbackCollection.Find(f => f.UserId == userId).OrderBy(f => f.Time)];

    public bool SaveFeedback(Feedback feedback, InterestProfile? profile, int? expectedProfileVersion)
    {
        var saved = false;
        WritingProfiles([feedback.UserId], () => InTransaction(() =>
        {
            // Read inside the transaction: the version check and the write are one step for other writers.
            var stored = Profiles.Query().Where(p => p.UserId == feedback.UserId).Select(p => p.Version).ToList();
            int? version = stored.Count == 0 ? null : stored[0];
            if (version != expectedProfileVersion)
            {
                return;
            }

            FeedbackCollection.Upsert(feedback);
            if (profile is not null)
            {
                Profiles.Upsert(profile);
            }

            saved = true;
        }));
        return saved;
    }

    public IEnumerable<EmbeddingRecord> Embeddings(EmbeddingKind kind) => EmbeddingsCollection.Find(e => e.Kind == kind);

    public IReadOnlyDictionary<string, string> EmbeddingHashes(EmbeddingKind kind) =>
        _db.GetCollection(Collections.Embeddings).Query().Where(Query.EQ("Kind", kind.ToString())).Select("{ o: $.OwnerId, h: $.InputHash }").ToEnumerable()
            .ToDictionary(d => d["o"].AsString, d => d["h"].AsString, StringComparer.Ordinal);

    public EmbeddingRecord? FindEmbedding(EmbeddingKind kind, string ownerId) => EmbeddingsCollection.FindById(EmbeddingRecord.MakeId(kind, ownerId));

    public void SaveEmbeddings(IReadOnlyCollection<EmbeddingRecord> records) => InTransaction(() => EmbeddingsCollection.Upsert(records));

    private Dictionary<string, string> Hashes(string collection) =>
        _db.GetCollection(collection).Query().Select("{ id: $._id, h: $.InputHash }").ToEnumerable()
            .ToDictionary(d => d["id"].AsString, d => d["h"].AsString, StringComparer.Ordinal);

    // LiteDB transactions belong to the calling thread; nothing here awaits, so begin and commit stay on one thread.
    private void InTransaction(Action write)
    {
        EnsureWritable();
        lock (_writeGate)
        {
            _db.BeginTrans();
            try
            {
                write();
                _db.Commit();
            }
            catch
            {
                _db.Rollback();
                throw;
            }
        }
    }

    private readonly Lock _writeGate = new();

    /// <summary>Throws, before anything is written, when the store is read-only or the disk is too full to write safely.</summary>
    internal void EnsureWritable(long needed = 0)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (IsReadOnly)
        {
            throw new StoreReadOnlyException($"the store {Path} is read-only (its file mode or file system): it can be read, not changed. Make it writable to record feedback, enrich or index.");
        }

        DiskSpace.Ensure(Path, needed, ReserveBytes);
    }
}
