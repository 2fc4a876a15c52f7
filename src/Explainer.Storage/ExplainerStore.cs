using Explainer.Core.Domain;
using Explainer.Core.Storage;
using Explainer.Core.Ingest;
using LiteDB;

namespace Explainer.Storage;

/// <summary>
/// The single LiteDB file that holds everything Explainer knows. One instance per process, enforced by
/// <see cref="StoreLock"/> (LiteDB direct mode is thread-safe within a process and much faster than shared mode,
/// but two processes on one file corrupt it). The file is checked to be a LiteDB file before LiteDB touches it,
/// and its schema is checked (and migrated from older builds) on open. A store whose file cannot be written
/// (mode 0444, a read-only mount) opens read-only: reads work, writes fail with <see cref="StoreReadOnlyException"/>.
/// </summary>
public sealed partial class ExplainerStore : IIngestTarget, IDisposable
{
    /// <summary>
    /// The schema this build reads and writes. Bump it, and add a migration, when a document shape changes.
    /// 2: ids compare exactly (ordinal collation; schema 1 ignored case, merging "CaseUser" and "caseuser").
    /// 3: vectors are little-endian float32 bytes, not BSON arrays of doubles (a third of the space, read ~10x faster).
    /// </summary>
    public const int SchemaVersion = 3;

    /// <summary>Exact, case-sensitive comparison of ids and strings (LiteDB's default ignores case).</summary>
    internal static readonly Collation OrdinalCollation = new("/Ordinal");

    /// <summary>How long a LiteDB operation waits for a lock inside this process before it fails.</summary>
    internal static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(15);

    private LiteDatabase _db;
    private readonly BsonMapper _mapper;
    private readonly StoreLock? _lock;

    private ExplainerStore(LiteDatabase db, BsonMapper mapper, string path, StoreLock? storeLock, bool readOnly)
    {
        _db = db;
        _mapper = mapper;
        _lock = storeLock;
        Path = path;
        IsReadOnly = readOnly;
    }

    /// <summary>Full path of the store file.</summary>
    public string Path { get; }

    /// <summary>The file cannot be written (its mode, or the file system): reads work, every write fails with a clear message.</summary>
    public bool IsReadOnly { get; }

    /// <summary>This process's hold on the store (null for a read-only store, which nobody can write).</summary>
    public StoreLock? Lock => _lock;

    /// <summary>
    /// Opens the store at <paramref name="path"/>, creating an empty one there when it does not exist and
    /// <paramref name="create"/> is set. Refuses, without writing a byte: a missing file (unless creating), a file that
    /// is not a LiteDB file, a LiteDB file that is not an Explainer store, a store of a newer schema, and a store
    /// another process has open.
    /// </summary>
    public static ExplainerStore Open(string path, bool create = true, StoreOptions? options = null)
    {
        var reserve = (long)(options?.ReserveMegabytes ?? (int)(DiskSpace.DefaultReserveBytes >> 20)) << 20;
        var full = System.IO.Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new StoreException($"{full} is a directory; --db names the store file (e.g. {System.IO.Path.Combine(full, "explainer.db")}).");
        }

        var exists = File.Exists(full);
        if (!exists && !create)
        {
            throw new StoreException($"No store at {full}. Run `explainer ingest ...` first, or point --db / EXPLAINER_DB at an existing store.");
        }

        if (exists && WhyNotAStoreFile(full) is { } why)
        {
            throw new StoreException($"{full} is not an Explainer store: {why}. Nothing was written to it; check --db / EXPLAINER_DB.");
        }

        var readOnly = exists && !CanWrite(full);
        StoreLock? storeLock = null;
        if (!readOnly)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            storeLock = StoreLock.Acquire(full);
        }

        try
        {
            if (!exists)
            {
                DiskSpace.Ensure(full, reserve: reserve);
            }

            var store = OpenLocked(full, storeLock, readOnly);
            store.ReserveBytes = reserve;
            return store;
        }
        catch
        {
            storeLock?.Dispose();
            throw;
        }
    }

    /// <summary>Why <paramref name="path"/> cannot be opened as a store file, or null when it can be tried.</summary>
    private static string? WhyNotAStoreFile(string path)
    {
        try
        {
            return StoreFile.WhyNotLiteDb(path);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreException($"{path} cannot be read: {ex.Message}", ex);
        }
    }

    private static bool CanWrite(string path)
    {
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0)
        {
            return false; // read-only by mode, even for root (who could write it anyway)
        }

        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        catch (IOException ex) when (ex.HResult == 30 /* EROFS */ || ex.Message.Contains("Read-only file system", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }
    }

    private static ExplainerStore OpenLocked(string full, StoreLock? storeLock, bool readOnly)
    {
        var mapper = StoreMapper.Create();
        LiteDatabase db;
        try
        {
            db = new LiteDatabase(Connection(full, readOnly, create: !File.Exists(full)), mapper);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // LiteDB reports a damaged file with whatever exception the bytes lead to (even ArgumentOutOfRange).
            throw new StoreException($"{full} is not a readable Explainer store (LiteDB said: {ex.Message}).", ex);
        }

        try
        {
            var migrated = CheckSchema(ref db, full, mapper, readOnly);
            if (!readOnly)
            {
                // A lock wait inside the process fails within seconds instead of LiteDB's minute.
                if (db.Timeout != LockTimeout)
                {
                    db.Timeout = LockTimeout;
                }

                EnsureIndexes(db);
            }

            return new ExplainerStore(db, mapper, full, storeLock, readOnly) { MigratedFrom = migrated };
        }
        catch
        {
            db.Dispose();
            throw;
        }
    }

    private int _ingesting;

    /// <summary>
    /// Gives back the memory LiteDB 5 holds for every page a query touched: its page cache never shrinks while the
    /// database is open (litedb-org/LiteDB#2813), so a batch stage that reads the whole store (enrich, the serving
    /// index at <c>index</c>) grows by the size of what it read. Closes and reopens the file (the store's lock is its own
    /// and stays held). Call it between batches, when no other thread uses the store.
    /// </summary>
    public void ReleaseMemory()
    {
        lock (_writeGate)
        {
            if (Volatile.Read(ref _ingesting) > 0)
            {
                throw new InvalidOperationException("An import is in progress on this store: its memory is released after it ends.");
            }

            if (!IsReadOnly)
            {
                _db.Checkpoint();
            }

            // Closed first: a second instance on the same file would be refused where files are not shared (Windows).
            _db.Dispose();
            _db = new LiteDatabase(Connection(Path, IsReadOnly, create: false), _mapper);
            if (!IsReadOnly)
            {
                _db.Timeout = LockTimeout;
            }
        }

        // The cache's segments are large arrays: collected and given back to the system now, not at the GC's leisure.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }

    /// <summary>LiteDB refuses a collation other than the file's, so it is given only when the file is made.</summary>
    private static ConnectionString Connection(string full, bool readOnly, bool create) => new()
    {
        Filename = full,
        Connection = ConnectionType.Direct,
        ReadOnly = readOnly,
        Collation = create ? OrdinalCollation : null,
    };

    /// <summary>Free space every write leaves untouched (<see cref="StoreOptions.ReserveMegabytes"/>).</summary>
    internal long ReserveBytes { get; private set; } = DiskSpace.DefaultReserveBytes;

    /// <summary>The schema version this store had before it was migrated on open (null when it was current).</summary>
    public int? MigratedFrom { get; private init; }

    /// <summary>Checks (and, from older builds, migrates) the schema; returns the version migrated from.</summary>
    private static int? CheckSchema(ref LiteDatabase db, string path, BsonMapper mapper, bool readOnly)
    {
        var meta = db.GetCollection(Collections.Meta);
        var schema = meta.FindById("schema");
        if (schema is null)
        {
            var foreign = db.GetCollectionNames().Where(n => n != Collections.Meta).ToList();
            if (foreign.Count > 0)
            {
                throw new StoreException($"{path} is a LiteDB file but not an Explainer store (it has collections {string.Join(", ", foreign)} and no schema record). Nothing was written to it.");
            }

            if (readOnly)
            {
                throw new StoreException($"{path} is an empty LiteDB file and read-only: there is nothing to read.");
            }

            meta.Insert(new BsonDocument { ["_id"] = "schema", ["version"] = SchemaVersion, ["created"] = DateTime.UtcNow });
            return null;
        }

        var value = schema["version"];
        if (!value.IsInt32)
        {
            throw new StoreException($"{path} has a damaged schema record (version is {(value.IsNull ? "missing" : $"the {value.Type} {value}")}, not a number); this is not a store Explainer wrote.");
        }

        var version = value.AsInt32;
        if (version > SchemaVersion)
        {
            throw new StoreException(
                $"{path} was written by a newer Explainer (store schema {version}); this build understands schema {SchemaVersion} at most. " +
                "Upgrade Explainer, or use another --db.");
        }

        if (version < 1)
        {
            throw new StoreException($"{path} has schema version {version}, which no Explainer wrote.");
        }

        if (version == SchemaVersion)
        {
            return db.Collation.ToString() == OrdinalCollation.ToString() ? null
                : throw new StoreException($"{path} has schema {version} but compares ids as {db.Collation}, not exactly; it was not written by this Explainer.");
        }

        if (readOnly)
        {
            throw new StoreException($"{path} was written by an older Explainer (store schema {version}) and needs a migration to schema {SchemaVersion}, but it is read-only. Make it writable once (the next open migrates it), or re-ingest into a new store.");
        }

        if (version == 2)
        {
            // 2 -> 3 in place, in one transaction: the file holds either every vector in the old form or in the new one.
            // The transaction's pages go through the log first: half the file's size (more than its vectors take) must be free.
            DiskSpace.Ensure(path, new FileInfo(path).Length / 2);
            db.BeginTrans();
            VectorsToBytes(db);
            meta.Update(new BsonDocument { ["_id"] = "schema", ["version"] = SchemaVersion, ["created"] = schema["created"], ["migratedFrom"] = version });
            db.Commit();
            return version;
        }

        // 1 -> 2: ids compare exactly. LiteDB's Rebuild cannot change the collation of a populated file (it fails with
        // "Detected loop in FindAll"), so the documents are copied into a new file, which then takes the old one's place;
        // the old file is kept beside it. Ids that schema 1 already merged stay merged: re-ingest to split them.
        DiskSpace.Ensure(path, new FileInfo(path).Length * 2);
        var copy = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(path)!, $".{System.IO.Path.GetFileName(path)}.migrating-{Environment.ProcessId}.db");
        var backup = $"{path}.schema-{version}.bak";
        using (var target = new LiteDatabase(Connection(copy, readOnly: false, create: true), mapper))
        {
            foreach (var name in db.GetCollectionNames())
            {
                var to = target.GetCollection(name);
                foreach (var batch in db.GetCollection(name).FindAll().Chunk(1000))
                {
                    to.InsertBulk(batch);
                }
            }

            VectorsToBytes(target);
            target.GetCollection(Collections.Meta).Update(new BsonDocument { ["_id"] = "schema", ["version"] = SchemaVersion, ["created"] = schema["created"], ["migratedFrom"] = version });
            target.Checkpoint();
        }

        db.Dispose();
        File.Move(path, backup, overwrite: true);
        File.Move(copy, path);
        db = new LiteDatabase(Connection(path, readOnly: false, create: false), mapper);
        return version;
    }

    /// <summary>What a migration from schema <paramref name="from"/> changed, in words for the person who ran the command.</summary>
    public static string MigrationSummary(int from, string path) => from switch
    {
        1 => $"ids now compare exactly, case included, and vectors are stored as float32 bytes; the old file is kept as {path}.schema-1.bak",
        _ => "vectors are now stored as float32 bytes (in place, in one transaction; the space they freed is reused by later writes)",
    };

    /// <summary>Rewrites every stored vector that is still a BSON array as float32 bytes (schema 3), in the caller's transaction.</summary>
    private static void VectorsToBytes(LiteDatabase db)
    {
        var embeddings = db.GetCollection(Collections.Embeddings);
        var ids = embeddings.Query().Select("{ id: $._id, array: IS_ARRAY($.Vector) }").ToEnumerable().Where(d => d["array"].AsBoolean).Select(d => d["id"]).ToList();
        foreach (var id in ids)
        {
            var doc = embeddings.FindById(id);
            doc["Vector"] = StoreMapper.VectorBytes([.. doc["Vector"].AsArray.Select(x => (float)x.AsDouble)]);
            embeddings.Update(doc);
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

    public IIngestSession BeginIngest()
    {
        EnsureWritable();
        _reviewsByUser.Evict(null);
        // The inputs generation is raised in the session's transaction when it commits something: a rolled-back or
        // empty import leaves the serving snapshot current.
        Interlocked.Increment(ref _ingesting);
        try
        {
            return new LiteIngestSession(_db, _mapper, needed => EnsureWritable(needed), RaiseInputsGeneration, () =>
            {
                _reviewsByUser.Evict(null);
                Interlocked.Decrement(ref _ingesting);
            });
        }
        catch
        {
            Interlocked.Decrement(ref _ingesting);
            throw;
        }
    }

    public User? FindUser(string id) => _db.GetCollection<User>(Collections.Users).FindById(id);

    public Item? FindItem(string id) => _db.GetCollection<Item>(Collections.Items).FindById(id);

    public IReadOnlyList<Review> ReviewsByItem(string itemId) =>
        [.. _db.GetCollection<Review>(Collections.Reviews).Find(x => x.ItemId == itemId).OrderBy(r => r.Time)];

    public IReadOnlyList<Review> ReviewsOfItems(IReadOnlyCollection<string> itemIds) => ReviewsWhereIn(nameof(Review.ItemId), itemIds);

    public IReadOnlyList<Review> ReviewsOfUsers(IReadOnlyCollection<string> userIds) => ReviewsWhereIn(nameof(Review.UserId), userIds);

    private List<Review> ReviewsWhereIn(string field, IReadOnlyCollection<string> ids) => ids.Count == 0 ? []
        : [.. _db.GetCollection<Review>(Collections.Reviews).Find(Query.In(field, new BsonArray(ids.Select(id => new BsonValue(id)))))];

    public IEnumerable<User> Users() => _db.GetCollection<User>(Collections.Users).FindAll();

    public IEnumerable<Item> Items() => _db.GetCollection<Item>(Collections.Items).FindAll();

    public IEnumerable<Review> Reviews() => _db.GetCollection<Review>(Collections.Reviews).FindAll();

    public IEnumerable<ReviewRating> ReviewRatings() =>
        _db.GetCollection(Collections.Reviews).Query().Select(RatingFields).ToEnumerable().Select(ToRating);

    public IReadOnlyList<ReviewRating> ReviewRatingsAfter(string? afterId, int count) =>
        [.. (afterId is null ? _db.GetCollection(Collections.Reviews).Query() : _db.GetCollection(Collections.Reviews).Query().Where(Query.GT("_id", afterId)))
            .OrderBy("_id").Select(RatingFields).Limit(count).ToEnumerable().Select(ToRating)];

    private const string RatingFields = "{ i: $._id, u: $.UserId, t: $.ItemId, r: $.Rating, d: $.Time }";

    private static ReviewRating ToRating(BsonDocument d) =>
        new(d["i"].AsString, d["u"].AsString, d["t"].AsString, d["r"].AsDouble, new DateTimeOffset(d["d"].AsDateTime.ToUniversalTime()));

    /// <summary>
    /// Writes the log into the data file and closes the file. A checkpoint that cannot finish (LiteDB waits forever
    /// when its writer failed, e.g. on a full disk) is abandoned after <see cref="CloseTimeout"/> with an error, so a
    /// command exits instead of hanging.
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _profiles.Dispose();
        _reviewsByUser.Dispose();
        _descriptions.Dispose();
        try
        {
            if (!IsReadOnly)
            {
                var checkpoint = Task.Run(_db.Checkpoint);
                if (!checkpoint.Wait(CloseTimeout))
                {
                    throw new StoreException($"{Path} could not be closed within {CloseTimeout.TotalSeconds:0} s (is the disk full?); the last change may not be stored.");
                }
            }

            _db.Dispose();
        }
        catch (AggregateException ex) when (ex.InnerException is IOException io)
        {
            throw new StoreException($"{Path} could not be closed: {io.Message}", io);
        }
        finally
        {
            _lock?.Dispose();
        }
    }

    /// <summary>How long closing may take before it is reported as a failure.</summary>
    public static TimeSpan CloseTimeout { get; } = TimeSpan.FromSeconds(20);

    private bool _disposed;
}
