using Explainer.Core.Domain;
using Explainer.Core.Ingest;
using LiteDB;

namespace Explainer.Storage;

/// <summary>An import as one LiteDB transaction: committed whole, or rolled back whole on dispose.</summary>
internal sealed class LiteIngestSession : IIngestSession
{
    private readonly LiteDatabase _db;
    private readonly BsonMapper _mapper;
    private readonly ILiteCollection<BsonDocument> _users;
    private readonly ILiteCollection<BsonDocument> _items;
    private readonly ILiteCollection<BsonDocument> _reviews;
    private readonly Action<long> _checkSpace;
    private readonly Action? _ended;
    private readonly Action? _committing;
    private bool _open;
    private int _writes;
    private bool _changed;
    private long _documentBytes;

    /// <summary>How many writes go by between two checks of the free disk space.</summary>
    private const int SpaceCheckEvery = 2000;

    /// <param name="committing">Called in the transaction just before a commit that added or changed a row (the store marks its inputs changed).</param>
    /// <param name="ended">Called when the session commits or rolls back (the store forgets what it cached about reviews).</param>
    public LiteIngestSession(LiteDatabase db, BsonMapper mapper, Action<long> checkSpace, Action? committing = null, Action? ended = null)
    {
        _db = db;
        _mapper = mapper;
        _checkSpace = checkSpace;
        _committing = committing;
        _ended = ended;
        _users = db.GetCollection(Collections.Users);
        _items = db.GetCollection(Collections.Items);
        _reviews = db.GetCollection(Collections.Reviews);
        if (!db.BeginTrans())
        {
            throw new InvalidOperationException("An import is already running on this thread.");
        }

        _open = true;
    }

    public UpsertOutcome UpsertUser(User user)
    {
        var doc = _mapper.ToDocument(user);
        var existing = _users.FindById(doc["_id"]);

        // A source without names (MovieLens, a nameless row) does not erase a name another file gave.
        if (user.Name is null && existing is not null && existing.TryGetValue(nameof(User.Name), out var name))
        {
            doc[nameof(User.Name)] = name;
        }

        return Upsert(_users, doc, existing);
    }

    public UpsertOutcome UpsertItem(Item item)
    {
        var doc = _mapper.ToDocument(item);
        var existing = _items.FindById(doc["_id"]);

        // Keep attributes gathered from other files (e.g. MovieLens tags) when metadata is re-read.
        if (existing is not null && existing.TryGetValue(nameof(Item.Attributes), out var had) && had.IsDocument)
        {
            var merged = doc.TryGetValue(nameof(Item.Attributes), out var now) && now.IsDocument ? now.AsDocument : [];
            foreach (var (name, values) in had.AsDocument)
            {
                if (!merged.ContainsKey(name))
                {
                    merged[name] = values;
                }
            }

            if (merged.Count > 0)
            {
                doc[nameof(Item.Attributes)] = merged;
            }
        }

        return Upsert(_items, doc, existing);
    }

    public UpsertOutcome EnsureItem(string itemId)
    {
        if (_items.FindById(itemId) is not null)
        {
            return UpsertOutcome.Unchanged;
        }

        return Upsert(_items, _mapper.ToDocument(new Item { Id = itemId }));
    }

    public UpsertOutcome AddItemAttributes(string itemId, string name, IEnumerable<string> values)
    {
        var doc = _items.FindById(itemId) ?? _mapper.ToDocument(new Item { Id = itemId });
        var attributes = doc.TryGetValue(nameof(Item.Attributes), out var a) && a.IsDocument ? a.AsDocument : [];
        var list = attributes.TryGetValue(name, out var l) && l.IsArray ? l.AsArray : [];
        var seen = new HashSet<string>(list.Select(v => v.AsString), StringComparer.OrdinalIgnoreCase);
        var added = false;
        foreach (var value in values)
        {
            if (seen.Add(value))
            {
                list.Add(value);
                added = true;
            }
        }

        if (!added)
        {
            return UpsertOutcome.Unchanged;
        }

        attributes[name] = list;
        doc[nameof(Item.Attributes)] = attributes;
        _changed = true;
        return _items.Upsert(doc) ? UpsertOutcome.Added : UpsertOutcome.Updated;
    }

    public UpsertOutcome UpsertReview(Review review) => Upsert(_reviews, _mapper.ToDocument(review));

    private UpsertOutcome Upsert(ILiteCollection<BsonDocument> collection, BsonDocument doc, BsonDocument? existing = null)
    {
        // A long import stops cleanly (and rolls back) before the disk is full, never in the middle of LiteDB's writes:
        // LiteDB keeps a transaction's pages in memory and writes them all at commit, so the check is against what the
        // commit will write, not against what is written so far.
        _documentBytes += BsonSerializer.Serialize(doc).Length;
        if (++_writes % SpaceCheckEvery == 0)
        {
            _checkSpace(PendingBytes);
        }

        existing ??= collection.FindById(doc["_id"]);
        if (existing is null)
        {
            collection.Insert(doc);
            _changed = true;
            return UpsertOutcome.Added;
        }

        if (SameContent(existing, doc))
        {
            return UpsertOutcome.Unchanged;
        }

        collection.Update(doc);
        _changed = true;
        return UpsertOutcome.Updated;
    }

    // Documents from one mapper serialise their fields in the same order, so their JSON text compares content.
    private static bool SameContent(BsonDocument a, BsonDocument b) =>
        LiteDB.JsonSerializer.Serialize(a) == LiteDB.JsonSerializer.Serialize(b);

    /// <summary>
    /// About what the commit will write: each document once in the log and once at the checkpoint, and a node in each
    /// of up to three indexes. An overestimate refuses an import that might have fitted; an underestimate would let
    /// LiteDB run out of space mid-commit, which it does not survive.
    /// </summary>
    private long PendingBytes => (2 * _documentBytes) + (_writes * 3L * 128);

    public void Commit()
    {
        if (!_open)
        {
            throw new InvalidOperationException("The import was already committed or rolled back.");
        }

        _checkSpace(PendingBytes);
        try
        {
            if (_changed)
            {
                _committing?.Invoke();
            }

            _db.Commit();
            _open = false; // a failed commit stays open, for Dispose to roll back
        }
        finally
        {
            _ended?.Invoke();
        }
    }

    public void Dispose()
    {
        if (_open)
        {
            _open = false;
            try
            {
                _db.Rollback();
            }
            finally
            {
                _ended?.Invoke();
            }
        }
    }
}
