using Explainer.Core.Domain;
using Explainer.Core.Ingest;
using LiteDB;

namespace Explainer.Storage;

/// <summary>
/// The single LiteDB file that holds everything Explainer knows. One instance per process (LiteDB direct mode
/// is thread-safe and much faster than shared mode); the schema version is checked on open.
/// </summary>
public sealed partial class ExplainerStore : IIngestTarget, IDisposable
{
    /// <summary>The schema this build reads and writes. Bump it, and add a migration, when a document shape changes incompatibly.</summary>
    public const int SchemaVersion = 1;

    private readonly LiteDatabase _db;
    private readonly BsonMapper _mapper;

    private ExplainerStore(LiteDatabase db, BsonMapper mapper, string path)
    {
        _db = db;
        _mapper = mapper;
        Path = path;
    }

    /// <summary>Full path of the store file.</summary>
    public string Path { get; }

    /// <summary>Opens (creating when <paramref name="create"/>) the store at <paramref name="path"/> and checks its schema.</summary>
    public static ExplainerStore Open(string path, bool create = true)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            if (!create)
            {
                throw new StoreException($"No store at {full}. Run `explainer ingest ...` first, or point --db / EXPLAINER_DB at an existing store.");
            }

            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        }

        var mapper = StoreMapper.Create();
        LiteDatabase db;
        try
        {
            db = new LiteDatabase(new ConnectionString { Filename = full, Connection = ConnectionType.Direct }, mapper);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // LiteDB reports a damaged header with whatever exception the bytes lead to (even ArgumentOutOfRange).
            throw new StoreException($"{full} is not a readable Explainer store (LiteDB said: {ex.Message}).", ex);
        }

        try
        {
            CheckSchema(db, full);
            EnsureIndexes(db);
        }
        catch
        {
            db.Dispose();
            throw;
        }

        return new ExplainerStore(db, mapper, full);
    }

    private static void CheckSchema(LiteDatabase db, string path)
    {
        var meta = db.GetCollection(Collections.Meta);
        var schema = meta.FindById("schema");
        if (schema is null)
        {
            var foreign = db.GetCollectionNames().Where(n => n != Collections.Meta).ToList();
            if (foreign.Count > 0)
            {
                throw new StoreException($"{path} is a LiteDB file but not an Explainer store (it has collections {string.Join(", ", foreign)} and no schema record).");
            }

            meta.Insert(new BsonDocument { ["_id"] = "schema", ["version"] = SchemaVersion, ["created"] = DateTime.UtcNow });
            return;
        }

        var version = schema["version"].AsInt32;
        if (version > SchemaVersion)
        {
            throw new StoreException(
                $"{path} was written by a newer Explainer (store schema {version}); this build understands schema {SchemaVersion} at most. " +
                "Upgrade Explainer, or use another --db.");
        }
    }

    private static void EnsureIndexes(LiteDatabase db)
    {
        // Every key that is looked up has an index; _id is always indexed.
        var reviews = db.GetCollection<Review>(Collections.Reviews);
        reviews.EnsureIndex(x => x.UserId);
        reviews.EnsureIndex(x => x.ItemId);
        db.GetCollection<Explanation>(Collections.Explanations).EnsureIndex(x => x.UserId);
        db.GetCollection<Feedback>(Collections.Feedback).EnsureIndex(x => x.UserId);
        db.GetCollection<EmbeddingRecord>(Collections.Embeddings).EnsureIndex(x => x.Kind);
        db.GetCollection<PromptVersion>(Collections.Prompts).EnsureIndex(x => x.Name);
    }

    /// <summary>The schema version recorded in the file.</summary>
    public int FileSchemaVersion => _db.GetCollection(Collections.Meta).FindById("schema")["version"].AsInt32;

    /// <summary>Writes the log into the data file, so that a copy of the file alone holds everything committed.</summary>
    public void Checkpoint() => _db.Checkpoint();

    public IIngestSession BeginIngest() => new LiteIngestSession(_db, _mapper);

    public User? FindUser(string id) => _db.GetCollection<User>(Collections.Users).FindById(id);

    public Item? FindItem(string id) => _db.GetCollection<Item>(Collections.Items).FindById(id);

    public IReadOnlyList<Review> ReviewsByUser(string userId) =>
        [.. _db.GetCollection<Review>(Collections.Reviews).Find(x => x.UserId == userId).OrderBy(r => r.Time)];

    public IReadOnlyList<Review> ReviewsByItem(string itemId) =>
        [.. _db.GetCollection<Review>(Collections.Reviews).Find(x => x.ItemId == itemId).OrderBy(r => r.Time)];

    public IEnumerable<User> Users() => _db.GetCollection<User>(Collections.Users).FindAll();

    public IEnumerable<Item> Items() => _db.GetCollection<Item>(Collections.Items).FindAll();

    public IEnumerable<Review> Reviews() => _db.GetCollection<Review>(Collections.Reviews).FindAll();

    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _db.Dispose();
        }
    }

    private bool _disposed;
}
