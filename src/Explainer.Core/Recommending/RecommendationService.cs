using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Storage;

namespace Explainer.Core.Recommending;

/// <summary>
/// Answers "what should this user see next": loads the item vectors, co-occurrence and priors once, then ranks per
/// request with the user's current profile (read fresh, so feedback shows at once).
/// </summary>
public sealed class RecommendationService(IRecommenderStore store, PhraseVectors vectors, RankingOptions options)
{
    private readonly Lock _gate = new();
    private Task<Loaded>? _loading;

    private sealed record Loaded(HybridRanker Ranker, InteractionData Data, string[] ItemIds, ItemVectorIndex Index);

    public const int MaxK = 100;

    /// <summary>Forgets the loaded index (after <c>index</c> or an ingest in the same process).</summary>
    public void Invalidate()
    {
        lock (_gate)
        {
            _loading = null; // a build still running finishes for its waiters, but is not kept
        }
    }

    public async Task<IReadOnlyList<Recommendation>> ForUserAsync(string userId, int k, double diversity, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
        if (store.FindUser(userId) is null)
        {
            throw new RecommendationException($"Unknown user '{userId}'.");
        }

        var profile = store.FindProfile(userId)
            ?? throw new RecommendationException($"User '{userId}' has no interest profile yet: run `explainer enrich` first.");
        await vectors.EnsureAsync(profile.Keywords.Select(x => x.Text), cancellationToken).ConfigureAwait(false);

        var index = loaded.Data.UserIndex.TryGetValue(userId, out var u) ? u : -1;
        var history = index >= 0 ? HybridRanker.History(loaded.Data.ByUser[index], options.HistoryHalfLife).ToList() : [];
        var excluded = history.Select(h => h.Item).ToHashSet();
        var contentHistory = history.Select(h => h.Item).ToList();
        foreach (var f in store.FeedbackByUser(userId))
        {
            if (loaded.Data.ItemIndex.TryGetValue(f.ItemId, out var i))
            {
                excluded.Add(i);

                // A liked item joins the profile's content (with its keywords, through the stored profile), not the
                // collaborative history: one like should pull in items like it, not reshuffle the whole list.
                if (f.Kind == FeedbackKind.Like)
                {
                    contentHistory.Add(i);
                }
            }
        }

        var signal = new UserSignal(
            [.. profile.Keywords.Where(x => vectors.Get(x.Text) is not null).Select(x => (x, vectors.Get(x.Text)!))],
            ItemText.ProfileVector(profile.Keywords, vectors.Get, contentHistory.Where(i => loaded.Index.Present[i]).Select(i => loaded.Index.Vector(i).ToArray())),
            history,
            excluded,
            index);
        return loaded.Ranker.Rank(signal, loaded.ItemIds, Math.Clamp(k, 1, MaxK), diversity);
    }

    /// <summary>Whether the encoder knows any word of <paramref name="text"/> (else there is nothing to rank it by).</summary>
    public async Task<bool> UnderstandsAsync(string text, CancellationToken cancellationToken)
    {
        var clean = Text.UntrustedText.Clean(text);
        return clean.Length > 0 && System.Numerics.Tensors.TensorPrimitives.Norm(await vectors.GetAsync(clean, cancellationToken).ConfigureAwait(false)) > 0;
    }

    /// <summary>Cold start: rank for free text, with no history.</summary>
    public async Task<IReadOnlyList<Recommendation>> ForQueryAsync(string query, int k, double diversity, IReadOnlySet<string>? exclude, CancellationToken cancellationToken)
    {
        // The person's words as plain text (markup and scripts removed): that is what is ranked for and echoed back.
        query = Text.UntrustedText.Clean(query);
        if (string.IsNullOrWhiteSpace(query))
        {
            throw new QueryNotUnderstoodException("The query is empty (or only markup).");
        }

        var loaded = await LoadAsync(cancellationToken).ConfigureAwait(false);
        var vector = await vectors.GetAsync(query.Trim(), cancellationToken).ConfigureAwait(false);
        if (System.Numerics.Tensors.TensorPrimitives.Norm(vector) == 0)
        {
            throw new QueryNotUnderstoodException($"None of the words in \"{(query.Length > 60 ? query[..57].Trim() + "..." : query.Trim())}\" are known: try other words.");
        }
        var keyword = new Keyword { Text = query.Trim(), Weight = 1, Polarity = Polarity.Liked };
        var excluded = (exclude ?? new HashSet<string>()).Where(loaded.Data.ItemIndex.ContainsKey).Select(id => loaded.Data.ItemIndex[id]).ToHashSet();
        var signal = new UserSignal([(keyword, vector)], vector, [], excluded);
        return loaded.Ranker.Rank(signal, loaded.ItemIds, Math.Clamp(k, 1, MaxK), diversity);
    }

    /// <summary>
    /// The ranker, built once (seconds: vectors, co-occurrence, EASE^R fit) on a background task shared by all callers.
    /// A caller's token only cancels its own wait, so Ctrl+C in the chat or a dropped HTTP request returns at once;
    /// the build goes on and the next request reuses it. A failed build is not kept: the next request starts
    /// another, as the store may have been fixed meanwhile (e.g. <c>explainer index</c> run from another process).
    /// </summary>
    private Task<Loaded> LoadAsync(CancellationToken cancellationToken)
    {
        Task<Loaded> loading;
        lock (_gate)
        {
            if (_loading is null or { IsFaulted: true } or { IsCanceled: true })
            {
                _loading = Task.Run(BuildAsync, CancellationToken.None);

                // Observed here so a failure that nobody waited for (all callers cancelled) is not an unobserved exception.
                _ = _loading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            loading = _loading;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private async Task<Loaded> BuildAsync()
    {
        var records = store.Embeddings(EmbeddingKind.ItemDescription).ToDictionary(e => e.OwnerId, StringComparer.Ordinal);
        if (records.Count == 0)
        {
            throw new RecommendationException("No item vectors in the store: run `explainer enrich` and `explainer index` first.");
        }

        var encoders = records.Values.Select(r => r.Encoder).Distinct(StringComparer.Ordinal).ToList();
        var current = IndexService.EncoderId(vectors.Encoder);
        if (encoders.Count != 1 || encoders[0] != current)
        {
            throw new RecommendationException($"The stored item vectors come from {string.Join(", ", encoders)}, the configured encoder is {current}: run `explainer index` again.");
        }

        var data = InteractionData.FromReviews(store.Reviews(), store.Items().Select(i => i.Id));
        var itemIds = data.ItemIds.ToArray();
        var dimension = records.Values.First().Vector.Length;
        var index = new ItemVectorIndex(dimension, [.. itemIds.Select(id => records.TryGetValue(id, out var r) ? r.Vector : null)]);
        IRecommenderModel? collaborative = null;
        if (options.EaseLambda > 0)
        {
            collaborative = new EaseModel(options.EaseLambda);
            await collaborative.FitAsync(data, CancellationToken.None).ConfigureAwait(false); // shared build: no caller's token
        }

        var ranker = new HybridRanker(index, new ItemCooccurrence(data, options.Neighbours, options.Shrink), data, options, collaborative);
        return new Loaded(ranker, data, itemIds, index);
    }
}
