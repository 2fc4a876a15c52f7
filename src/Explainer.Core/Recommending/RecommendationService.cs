using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Core.Recommending;

/// <summary>
/// Answers "what should this user see next". The ranker (item vectors, co-occurrence, EASE^R, priors) and the item rows
/// are loaded once per index; each request then reads the store a fixed number of times whatever k is (the user, their
/// profile, feedback and reviews; the recommended items' descriptions) and carries what it read forward in a
/// <see cref="RecommendationResult"/>, so explanation, caching and the API never read it again. Filters (price,
/// categories, exclusions, the query's main noun) are applied before the top k is taken. A new index (its stamp in the
/// store) is picked up without a restart.
/// </summary>
public sealed class RecommendationService(IRecommenderStore store, PhraseVectors vectors, RankingOptions options, IQueryAnalyzer? analyzer = null, TimeProvider? clock = null, ILogger<RecommendationService>? logger = null)
{
    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>How often the store's index stamp is looked at (a read) to notice a new index.</summary>
    public static readonly TimeSpan StampCheckInterval = TimeSpan.FromSeconds(2);

    private readonly Lock _gate = new();
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private Task<Loaded>? _loading;
    private DateTimeOffset _stampCheckedAt = DateTimeOffset.MinValue;

    private sealed record Loaded(HybridRanker Ranker, HybridRanker PopularRanker, ServingIndex Serving)
    {
        public InteractionData Data => Serving.Data;

        public string[] ItemIds => Serving.ItemIds;

        public ItemVectorIndex Index => Serving.Vectors;

        public Item[] Items => Serving.Items;

        public HashSet<string>[] Names => Serving.Names;

        public HashSet<string>[] Words => Serving.Words;
    }

    public const int MaxK = 100;

    /// <summary>What scores the collaborative part of the loaded index and over how many items (null before the first load).</summary>
    public string? CollaborativeModel { get; private set; }

    /// <summary>Whether the loaded index was read from the serving snapshot (false: built from the store).</summary>
    public bool LoadedFromSnapshot { get; private set; }

    /// <summary>Forgets the loaded index (after <c>index</c> or an ingest in the same process).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _loading = null; // a build still running finishes for its waiters, but is not kept
        }
    }

    /// <summary>Loads the ranker now (what the first request would otherwise wait for).</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken) => _ = await LoadAsync(cancellationToken).ConfigureAwait(false);

    public async Task<IReadOnlyList<Recommendation>> ForUserAsync(string userId, int k, double diversity, CancellationToken cancellationToken) =>
        (await RecommendAsync(new RecommendationRequest { UserId = userId, K = k, Diversity = diversity }, cancellationToken).ConfigureAwait(false)).Recommendations;

    /// <summary>Cold start: rank for free text, with no history.</summary>
    public async Task<IReadOnlyList<Recommendation>> ForQueryAsync(string query, int k, double diversity, IReadOnlySet<string>? exclude, CancellationToken cancellationToken) =>
        (await RecommendAsync(new RecommendationRequest { Query = query, K = k, Diversity = diversity, ExcludeItems = exclude ?? new HashSet<string>(StringComparer.Ordinal) }, cancellationToken).ConfigureAwait(false)).Recommendations;

    /// <summary>Whether any word of <paramref name="query"/> is known to the encoder (a query that is not cannot be ranked for).</summary>
    public async Task<bool> UnderstandsAsync(string query, CancellationToken cancellationToken) =>
        Text.UntrustedText.Clean(query) is { Length: > 0 } clean && !string.IsNullOrWhiteSpace(clean)
        && TensorPrimitives.Norm(await vectors.GetAsync(clean, cancellationToken).ConfigureAwait(false)) > 0;

    public async Task<RecommendationResult> RecommendAsync(RecommendationRequest request, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var data = loaded.Data;
        var k = Math.Clamp(request.K, 1, MaxK);

        ProfileSnapshot? snapshot = null;
        var excluded = new HashSet<int>();
        foreach (var id in request.ExcludeItems)
        {
            if (data.ItemIndex.TryGetValue(id, out var i))
            {
                excluded.Add(i);
            }
        }

        List<(int Item, float Weight)> history = [];
        var contentItems = new List<int>();
        var userRow = -1;
        if (request.UserId is { } userId)
        {
            if (store.FindUser(userId) is null)
            {
                throw new NotFoundException($"Unknown user '{userId}'.");
            }

            var profile = store.FindProfile(userId)
                ?? throw new RecommendationException($"User '{userId}' has no interest profile yet: run `explainer enrich` first.");
            snapshot = new ProfileSnapshot(profile, store.ReviewsByUser(userId), store.FeedbackByUser(userId));
            userRow = data.UserIndex.TryGetValue(userId, out var u) ? u : -1;
            history = userRow >= 0 ? [.. HybridRanker.History(data.ByUser[userRow], options.HistoryHalfLife)] : [];
            excluded.UnionWith(history.Select(h => h.Item));
            contentItems.AddRange(history.Select(h => h.Item));
            foreach (var f in snapshot.Feedback)
            {
                if (data.ItemIndex.TryGetValue(f.ItemId, out var i))
                {
                    excluded.Add(i);

                    // A liked item joins the profile's content (with its keywords, through the stored profile), not the
                    // collaborative history: one like should pull in items like it, not reshuffle the whole list.
                    if (f.Kind == FeedbackKind.Like)
                    {
                        contentItems.Add(i);
                    }
                }
            }
        }

        string? query = null;
        QueryTerms? terms = null;
        UserSignal signal;
        var ranker = loaded.Ranker;
        if (request.Query is { } text)
        {
            // The person's words as plain text (markup and scripts removed): that is what is ranked for and echoed back.
            query = Text.UntrustedText.Clean(text);
            if (string.IsNullOrWhiteSpace(query))
            {
                throw new QueryNotUnderstoodException("The query is empty (or only markup).");
            }

            var vector = await vectors.GetAsync(query, cancellationToken).ConfigureAwait(false);
            if (TensorPrimitives.Norm(vector) == 0)
            {
                throw new QueryNotUnderstoodException($"None of the words in \"{(query.Length > 60 ? query[..57].Trim() + "..." : query)}\" are known: try other words.");
            }

            terms = analyzer?.Analyze(query);
            signal = new UserSignal([(new Keyword { Text = query, Weight = 1, Polarity = Polarity.Liked }, vector)], vector, [], excluded);
        }
        else if (request.LikeItemId is { } like)
        {
            if (!data.ItemIndex.TryGetValue(like, out var anchor))
            {
                throw new NotFoundException($"Unknown item '{like}'.");
            }

            // Items like this one: its reviewers' other items (a one-item history) and its content.
            excluded.Add(anchor);
            var anchorKeywords = (store.FindDescription(like)?.Keywords ?? []).Where(x => x.Polarity == Polarity.Liked).Take(ItemText.KeywordsInText).ToList();
            await vectors.EnsureAsync(anchorKeywords.Select(x => x.Text), cancellationToken).ConfigureAwait(false);
            signal = new UserSignal(
                [.. anchorKeywords.Where(x => vectors.Get(x.Text) is not null).Select(x => (x, vectors.Get(x.Text)!))],
                loaded.Index.Present[anchor] ? loaded.Index.Vector(anchor).ToArray() : null,
                [(anchor, 1f)],
                excluded) { ContentItems = [anchor] };
        }
        else if (snapshot is not null)
        {
            var profile = snapshot.Profile;
            await vectors.EnsureAsync(profile.Keywords.Select(x => x.Text), cancellationToken).ConfigureAwait(false);
            signal = new UserSignal(
                [.. profile.Keywords.Where(x => vectors.Get(x.Text) is not null).Select(x => (x, vectors.Get(x.Text)!))],
                ItemText.ProfileVector(profile.Keywords, vectors.Get, contentItems.Where(i => loaded.Index.Present[i]).Select(i => loaded.Index.Vector(i).ToArray())),
                history,
                excluded,
                userRow) { ContentItems = contentItems };
        }
        else
        {
            // Nothing known yet: what many people reviewed and rated well.
            signal = new UserSignal([], null, [], excluded);
            ranker = loaded.PopularRanker;
        }

        var eligible = Filter(loaded, request, terms, out var matchedByWords);
        signal = signal with { Eligible = eligible };
        var matching = Enumerable.Range(0, data.ItemCount).Count(i => !excluded.Contains(i) && eligible(i));
        var ranked = ranker.Rank(signal, loaded.ItemIds, k, request.Diversity);
        if (terms is not null)
        {
            ranked = [.. ranked.Select(r => r with { Reasons = QueryReasons(r, terms, loaded) })];
        }

        var descriptions = store.FindDescriptions([.. ranked.Select(r => r.ItemId)]);
        var referenced = ranked.SelectMany(r => r.Reasons).SelectMany(x => x.History.Select(h => h.ItemId).Concat(x.Similar.Select(s => s.ItemId)))
            .Distinct(StringComparer.Ordinal).Where(data.ItemIndex.ContainsKey).ToDictionary(id => id, id => loaded.Items[data.ItemIndex[id]], StringComparer.Ordinal);
        var reviewed = (snapshot?.Reviews ?? []).Select(r => r.ItemId).Distinct(StringComparer.Ordinal).Where(data.ItemIndex.ContainsKey)
            .ToDictionary(id => id, id => loaded.Items[data.ItemIndex[id]], StringComparer.Ordinal);
        return new RecommendationResult
        {
            Request = request,
            Profile = snapshot,
            Query = query,
            Items = [.. ranked.Select(r => new RecommendedItem(r, loaded.Items[data.ItemIndex[r.ItemId]], descriptions.GetValueOrDefault(r.ItemId)))],
            Referenced = referenced,
            Reviewed = reviewed,
            Matching = matching,
            QueryMatchedByWords = matchedByWords,
            IndexStamp = loaded.Serving.Stamp,
            ProductKinds = loaded.Serving.Kinds,
            Tags = loaded.Serving.Tags,
        };
    }

    /// <summary>Price bounds, left-out categories, and (for a query) the main noun: which items may be returned.</summary>
    private static Func<int, bool> Filter(Loaded loaded, RecommendationRequest request, QueryTerms? terms, out bool matchedByWords)
    {
        var items = loaded.Items;
        var categories = request.ExcludeCategories.Where(c => c.Length > 0).ToList();
        bool Allowed(int i)
        {
            var item = items[i];
            if ((request.MaxPrice is { } max && (item.Price is not { } p || p > max)) || (request.MinPrice is { } min && (item.Price is not { } q || q < min)))
            {
                return false;
            }

            // Left out by what the item is (its title and categories), not by what its reviewers mention.
            return categories.Count == 0 || !categories.Any(c => loaded.Names[i].Contains(c) || string.Join(" | ", item.Categories.Append(item.Title ?? string.Empty)).Contains(c, StringComparison.OrdinalIgnoreCase));
        }

        matchedByWords = false;
        if (terms?.Head is not { } head)
        {
            return Allowed;
        }

        // A search returns what it names: items whose title or category holds the query's main noun ("a tuner" is a
        // tuner, not a string winder whose reviewers mention their tuners); failing that (items without titles), whose
        // reviewers' phrases do; failing that, any of the query's nouns, the same way round.
        foreach (var (required, words) in new[] { ((IReadOnlyList<string>)[head], loaded.Names), ([head], loaded.Words), (terms.Nouns, loaded.Names), (terms.Nouns, loaded.Words) })
        {
            // Whether any item at all is such (not only within the price bounds): if none is within them, none matches, and the answer says so.
            if (required.Count > 0 && Enumerable.Range(0, items.Length).Any(i => required.Any(words[i].Contains)))
            {
                matchedByWords = true;
                return i => Allowed(i) && required.Any(words[i].Contains);
            }
        }

        return Allowed;
    }

    /// <summary>For a query the content part is the query's: it becomes a query reason naming the words the item holds.</summary>
    private static List<Reason> QueryReasons(Recommendation r, QueryTerms terms, Loaded loaded)
    {
        var i = loaded.Data.ItemIndex[r.ItemId];
        var matched = terms.Words.Where(loaded.Words[i].Contains).ToList();
        return [.. r.Reasons.Select(x => x.Kind == ReasonKind.Content ? new Reason(ReasonKind.Query, x.Contribution, x.Share) { MatchedWords = matched } : x)];
    }

    /// <summary>
    /// The ranker, built once per index (seconds: vectors, co-occurrence, EASE^R fit) on a background task shared by all
    /// callers. A caller's token only cancels its own wait, so Ctrl+C in the chat or a dropped HTTP request returns at
    /// once; the build goes on and the next request reuses it. A failed build is not kept. Every
    /// <see cref="StampCheckInterval"/> the store's index stamp is compared, and a new one starts a new build.
    /// </summary>
    private Task<Loaded> LoadAsync(CancellationToken cancellationToken)
    {
        Task<Loaded> loading;
        lock (_gate)
        {
            var now = _clock.GetUtcNow();
            if (_loading is { IsCompletedSuccessfully: true } done && now - _stampCheckedAt >= StampCheckInterval)
            {
                _stampCheckedAt = now;
                if (CurrentKey() != done.Result.Serving.Key)
                {
                    _loading = null;
                }
            }

            if (_loading is null or { IsFaulted: true } or { IsCanceled: true })
            {
                _loading = Task.Run(BuildAsync, CancellationToken.None);
                _stampCheckedAt = now;

                // Observed here so a failure that nobody waited for (all callers cancelled) is not an unobserved exception.
                _ = _loading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task<Loaded> BuildAsync()
    {
        var snapshot = ReadSnapshot();
        var serving = snapshot ?? await ServingIndex.BuildAsync(store, vectors, options, analyzer, _logger, CancellationToken.None).ConfigureAwait(false); // shared build: no caller's token
        LoadedFromSnapshot = snapshot is not null;
        CollaborativeModel = serving.CollaborativeModel;
        _logger.LogInformation("Collaborative model: {Model}", serving.CollaborativeModel);
        var ranker = new HybridRanker(serving.Vectors, serving.Neighbours, serving.Data, options, serving.Ease);
        var popular = new HybridRanker(serving.Vectors, serving.Neighbours, serving.Data, PopularOptions, serving.Ease);
        return new Loaded(ranker, popular, serving);
    }

    /// <summary>The key the current index would have: what a saved snapshot must carry to be used.</summary>
    private string CurrentKey() => ServingIndex.KeyFor(store.IndexStamp(), IndexService.EncoderId(vectors.Encoder), options);

    /// <summary>The snapshot <c>explainer index</c> saved, when it is of the current index; null (and why, in the log) otherwise.</summary>
    private ServingIndex? ReadSnapshot()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            var key = CurrentKey();
            var info = store.FindServingSnapshot();
            if (info is null)
            {
                _logger.LogWarning("No serving snapshot of the current data (none saved since the last ingest or enrichment): building the index from the store; `explainer index` saves one.");
                return null;
            }

            if (info.Key != key)
            {
                _logger.LogWarning("The serving snapshot is of another index or configuration ({Saved}, not {Current}): building from the store; `explainer index` saves a current one.", info.Key, key);
                return null;
            }

            using var stream = store.OpenServingSnapshot();
            if (stream is null)
            {
                return null;
            }

            var serving = ServingSnapshot.Read(stream);
            if (serving.Key != key)
            {
                throw new InvalidDataException($"it holds the index {serving.Key}, its entry says {key}");
            }

            _logger.LogInformation("Loaded the serving snapshot ({Megabytes:N1} MB, saved {Saved:u}) in {Milliseconds} ms", info.Bytes / 1048576.0, info.SavedAt, clock.ElapsedMilliseconds);
            return serving;
        }
        catch (Exception e) when (e is not (OutOfMemoryException or OperationCanceledException))
        {
            // Derived data: whatever is wrong with it (damaged, unreadable file), the store still has everything.
            _logger.LogWarning("The serving snapshot could not be read ({Reason}): building the index from the store; `explainer index` saves a new one.", e.Message);
            return null;
        }
    }

    /// <summary>
    /// Builds the serving index from the store and saves it as the snapshot servers start from, unless the saved one is
    /// already of the current index. Returns the saved snapshot's entry. A batch step (<c>explainer index</c>): it has
    /// the store give back its read memory, so nothing else may use the store meanwhile.
    /// </summary>
    public async Task<(ServingSnapshotInfo Info, bool Written)> SaveSnapshotAsync(CancellationToken cancellationToken)
    {
        if (store.FindServingSnapshot() is { } saved && saved.Key == CurrentKey() && Intact())
        {
            return (saved, false);
        }

        store.ReleaseMemory(); // what the embedding pass read
        var serving = await ServingIndex.BuildAsync(store, vectors, options, analyzer, _logger, cancellationToken, store.ReleaseMemory).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        store.SaveServingSnapshot(serving.Key, stream => ServingSnapshot.Write(serving, stream));
        return (store.FindServingSnapshot()!, true);
    }

    /// <summary>Whether the saved snapshot's bytes are as written (a damaged one is written again, not called current).</summary>
    private bool Intact()
    {
        using var stream = store.OpenServingSnapshot();
        return stream is not null && ServingSnapshot.IsIntact(stream);
    }

    /// <summary>What a cold start with nothing said ranks by: how many reviewed an item, and how well (shrunk mean rating).</summary>
    private static readonly RankingOptions PopularOptions = new() { KeywordWeight = 0, ProfileWeight = 0, CollaborativeWeight = 0, NeighbourWeight = 0, PopularityWeight = 1, RatingPriorWeight = 0.5 };
}
