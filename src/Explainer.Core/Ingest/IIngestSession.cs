using Explainer.Core.Domain;

namespace Explainer.Core.Ingest;

/// <summary>What an upsert did to the store.</summary>
public enum UpsertOutcome
{
    Added,
    Updated,
    Unchanged,
}

/// <summary>
/// One all-or-nothing import into the store. Nothing is visible to readers, nor kept, unless
/// <see cref="Commit"/> is called; disposing without it rolls everything back.
/// Implementations are bound to the thread that opened them (LiteDB transactions are per thread),
/// so the importer runs synchronously on one dedicated thread.
/// </summary>
public interface IIngestSession : IDisposable
{
    /// <summary>Stores a user; a null name keeps the name already stored.</summary>
    UpsertOutcome UpsertUser(User user);

    /// <summary>Stores metadata for an item, replacing what was there (a stub included).</summary>
    UpsertOutcome UpsertItem(Item item);

    /// <summary>Creates a title-less stub for an item known only from reviews; never overwrites a stored item.</summary>
    UpsertOutcome EnsureItem(string itemId);

    /// <summary>Adds attribute values to a stored item (MovieLens tags), keeping the ones it has.</summary>
    UpsertOutcome AddItemAttributes(string itemId, string name, IEnumerable<string> values);

    UpsertOutcome UpsertReview(Review review);

    void Commit();
}

/// <summary>A store that can run an import.</summary>
public interface IIngestTarget
{
    IIngestSession BeginIngest();
}
