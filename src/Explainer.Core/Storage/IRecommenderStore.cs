using Explainer.Core.Domain;
using Explainer.Core.Explaining;

namespace Explainer.Core.Storage;

/// <summary>What the pipeline reads and writes. Every Save* is one transaction: all of it is stored, or none.</summary>
public interface IRecommenderStore
{
    /// <summary>The store can be read but not written (file mode, read-only mount): caches stay in memory, feedback is refused.</summary>
    bool IsReadOnly { get; }

    IEnumerable<User> Users();

    IEnumerable<Item> Items();

    IEnumerable<Review> Reviews();

    User? FindUser(string id);

    Item? FindItem(string id);

    IReadOnlyList<Review> ReviewsByUser(string userId);

    /// <summary>The reviews of these items (one indexed read, not cached): what a batch stage holds instead of every review.</summary>
    IReadOnlyList<Review> ReviewsOfItems(IReadOnlyCollection<string> itemIds);

    /// <summary>The reviews by these users (one indexed read, not cached).</summary>
    IReadOnlyList<Review> ReviewsOfUsers(IReadOnlyCollection<string> userIds);

    InterestProfile? FindProfile(string userId);

    IEnumerable<InterestProfile> Profiles();

    /// <summary>Input hash of every stored profile, by user: what enrichment compares to skip unchanged users.</summary>
    IReadOnlyDictionary<string, string> ProfileHashes();

    /// <summary>Stores profiles, and the aspect inventory they were tagged with, in one transaction.</summary>
    void SaveProfiles(IReadOnlyCollection<InterestProfile> profiles, AspectInventoryRecord? aspects = null);

    ItemDescription? FindDescription(string itemId);

    IEnumerable<ItemDescription> Descriptions();

    /// <summary>The descriptions of these items (one read, whatever their number); missing ones are left out.</summary>
    IReadOnlyDictionary<string, ItemDescription> FindDescriptions(IReadOnlyCollection<string> itemIds);

    IReadOnlyDictionary<string, string> DescriptionHashes();

    /// <summary>Each described item's liked keyword texts in the description's order, without reading the rest of the descriptions.</summary>
    IReadOnlyDictionary<string, IReadOnlyList<string>> LikedItemKeywords();

    void SaveDescriptions(IReadOnlyCollection<ItemDescription> descriptions, AspectInventoryRecord? aspects = null);

    /// <summary>The corpus's aspect inventory (written by enrichment), or null.</summary>
    AspectInventoryRecord? FindAspectInventory();

    IReadOnlyList<Feedback> FeedbackByUser(string userId);

    IEnumerable<Feedback> Feedback();

    /// <summary>
    /// Stores feedback and the profile it changed together, so no reader sees one without the other; only when the
    /// stored profile still has <paramref name="expectedProfileVersion"/> (null: there is none). False, with nothing
    /// written, when it changed meanwhile.
    /// </summary>
    bool SaveFeedback(Feedback feedback, InterestProfile? profile, int? expectedProfileVersion);

    IEnumerable<EmbeddingRecord> Embeddings(EmbeddingKind kind);

    /// <summary>Every review's id, user, item, rating and time, without reading texts into memory (for the collaborative models).</summary>
    IEnumerable<ReviewRating> ReviewRatings();

    /// <summary>Up to <paramref name="count"/> reviews' ratings in id order after <paramref name="afterId"/> (null: from the first): the same, read in bounded pieces.</summary>
    IReadOnlyList<ReviewRating> ReviewRatingsAfter(string? afterId, int count);

    /// <summary>Owner id → input hash of the stored vectors of one kind, without reading the vectors.</summary>
    IReadOnlyDictionary<string, string> EmbeddingHashes(EmbeddingKind kind);

    EmbeddingRecord? FindEmbedding(EmbeddingKind kind, string ownerId);

    void SaveEmbeddings(IReadOnlyCollection<EmbeddingRecord> records);

    /// <summary>Names the current index: changed by every <c>explainer index</c> that wrote something, so servers notice a new one. Empty when none.</summary>
    string IndexStamp();

    void SaveIndexStamp(string stamp);

    /// <summary>
    /// The saved serving snapshot, or null: never saved, or made obsolete by an ingest or enrichment that changed what it
    /// was built from since (so a snapshot found is never older than its inputs).
    /// </summary>
    ServingSnapshotInfo? FindServingSnapshot();

    /// <summary>Reads the saved serving snapshot's bytes (null when there is none).</summary>
    Stream? OpenServingSnapshot();

    /// <summary>
    /// Lets the store give back memory it holds for what was read (LiteDB 5's page cache never shrinks while the file
    /// is open). Batch stages call it between batches, when no other thread uses the store.
    /// </summary>
    void ReleaseMemory();

    /// <summary>Replaces the serving snapshot by what <paramref name="write"/> puts in the (seekable) stream, all at once: a reader sees the old one or the new one.</summary>
    void SaveServingSnapshot(string key, Action<Stream> write);

    // Explanations and prompt versions (ExplainerStore.Explanations.cs).
    Explanation? FindExplanation(string id);

    /// <summary>The stored explanations with these ids (one read, whatever their number).</summary>
    IReadOnlyDictionary<string, Explanation> FindExplanations(IReadOnlyCollection<string> ids);

    IEnumerable<Explanation> Explanations();

    void SaveExplanation(Explanation explanation);

    /// <summary>Deletes the cached explanations written with prompt <paramref name="promptName"/> except those of version <paramref name="keepVersion"/>; returns how many.</summary>
    int DeleteExplanations(string promptName, string? keepVersion);

    int CountExplanations();

    IReadOnlyList<PromptVersion> PromptVersions(string? name = null);

    void SavePromptVersions(IReadOnlyCollection<PromptVersion> versions);

    PromptRun? FindPromptRun(string id);

    IReadOnlyList<PromptRun> PromptRuns(string name);

    IEnumerable<PromptRun> PromptRuns();

    void SavePromptRun(PromptRun run);

    /// <summary>A prompt's promotions and roll backs, oldest first.</summary>
    IReadOnlyList<PromptPromotion> PromptHistory(string name);

    IEnumerable<PromptPromotion> PromptHistory();

    /// <summary>Saves the versions with their new active flags and the record of the move in one transaction.</summary>
    void MovePromptLabel(IReadOnlyCollection<PromptVersion> versions, PromptPromotion record);
}
