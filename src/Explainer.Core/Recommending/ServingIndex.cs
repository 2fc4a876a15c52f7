using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Explaining;
using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Explainer.Core.Recommending;

/// <summary>
/// What serving ranks and filters with, for one index: the interactions as dense indexes, the item rows, their
/// normalised vectors, the words that say what each item is and what its reviewers praise, and the fitted collaborative
/// parts (item-kNN neighbours; EASE^R's weights where it fits). Built from the store (seconds, tens of seconds at 1M
/// reviews) by <c>explainer index</c>, which saves it as a <see cref="ServingSnapshot"/> that a starting server reads.
/// </summary>
public sealed class ServingIndex
{
    internal ServingIndex(string stamp, string key, InteractionData data, Item[] items, ItemVectorIndex vectors, HashSet<string>[] names, HashSet<string>[] words, ItemCooccurrence neighbours, EaseModel? ease, string collaborativeModel)
    {
        Stamp = stamp;
        Key = key;
        Data = data;
        ItemIds = [.. data.ItemIds];
        Items = items;
        Vectors = vectors;
        Names = names;
        Words = words;
        Neighbours = neighbours;
        Ease = ease;
        CollaborativeModel = collaborativeModel;
        Kinds = ProductKinds.From(items);
        Tags = TagVocabulary.From(items);
    }

    /// <summary>The store's index stamp when it was built (what explanation caches are keyed by).</summary>
    public string Stamp { get; }

    /// <summary>What it was built from (<see cref="KeyFor"/>): a snapshot with another key is not this index.</summary>
    public string Key { get; }

    public InteractionData Data { get; }

    public string[] ItemIds { get; }

    /// <summary>Item rows in <see cref="InteractionData.ItemIds"/> order (a row with only an id when the catalogue lacks it).</summary>
    public Item[] Items { get; }

    public ItemVectorIndex Vectors { get; }

    /// <summary>Each item's title and category words (lemmas): what it is.</summary>
    public HashSet<string>[] Names { get; }

    /// <summary>Those and its reviewers' liked phrases: what is said about it.</summary>
    public HashSet<string>[] Words { get; }

    public ItemCooccurrence Neighbours { get; }

    public EaseModel? Ease { get; }

    /// <summary>What scores the collaborative part and over how many items, in words.</summary>
    public string CollaborativeModel { get; }

    public ProductKinds Kinds { get; }

    public TagVocabulary Tags { get; }

    /// <summary>
    /// Names an index as serving would build it: the store's index stamp, the encoder, the options the fitted parts
    /// depend on, and the snapshot format (an upgraded Explainer writes its own). Ingesting or enriching makes the stored
    /// snapshot obsolete through the store (its inputs changed), so the stamp need not say that.
    /// </summary>
    public static string KeyFor(string stamp, string encoder, RankingOptions options) =>
        FormattableString.Invariant($"{stamp}|{encoder}|k={options.Neighbours}|shrink={options.Shrink}|ease={options.EaseLambda}/{options.EaseMaxItems}/{options.EaseSideWeight}|format={ServingSnapshot.FormatVersion}");

    /// <summary>Reads what serving needs from the store and fits the collaborative parts, logging each phase's time.</summary>
    /// <param name="betweenReads">Called after each bulk read from the store (vectors, items, ratings, keywords): a batch
    /// stage has the store give back the memory the read took there, so reads do not pile up.</param>
    public static async Task<ServingIndex> BuildAsync(IRecommenderStore store, PhraseVectors vectors, RankingOptions options, IQueryAnalyzer? analyzer, ILogger logger, CancellationToken cancellationToken, Action? betweenReads = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var phases = new List<string>();
        void Phase(string name)
        {
            phases.Add($"{name} {clock.ElapsedMilliseconds} ms");
            clock.Restart();
        }

        var stamp = store.IndexStamp();
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

        Phase("item vectors");
        betweenReads?.Invoke();
        var catalog = store.Items().ToDictionary(i => i.Id, StringComparer.Ordinal);
        betweenReads?.Invoke();
        var data = InteractionData.FromRatings(betweenReads is null ? store.ReviewRatings() : RatingsInPieces(store, betweenReads), catalog.Keys);
        Phase("items and ratings");
        betweenReads?.Invoke();
        var items = data.ItemIds.Select(id => catalog.TryGetValue(id, out var item) ? item : new Item { Id = id }).ToArray();
        catalog = null;
        var keywords = store.LikedItemKeywords();
        Phase("descriptions");
        betweenReads?.Invoke();
        var names = items.Select(item => ItemWords(analyzer, item, [])).ToArray();
        var words = items.Select((item, i) => keywords.TryGetValue(item.Id, out var k) && k.Count > 0 ? ItemWords(analyzer, item, k) : names[i]).ToArray();
        keywords = null;
        Phase("item words");
        var dimension = records.Values.First().Vector.Length;
        var index = new ItemVectorIndex(dimension, [.. data.ItemIds.Select(id => records.TryGetValue(id, out var r) ? r.Vector : null)]);
        records = null;
        var matrix = new BinaryMatrix(data);
        var choice = CollaborativeModelChoice.For(data, options);
        if (choice.Ease is { } ease)
        {
            await ease.FitAsync(matrix, cancellationToken).ConfigureAwait(false);
        }

        Phase("collaborative model");
        var neighbours = new ItemCooccurrence(matrix, options.Neighbours, options.Shrink);
        Phase("item-kNN neighbours");
        var built = new ServingIndex(stamp, KeyFor(stamp, current, options), data, items, index, names, words, neighbours, choice.Ease, choice.Description);
        Phase("product kinds and tags");
        logger.LogInformation("Built the serving index from the store: {Phases}", string.Join(", ", phases));
        return built;
    }

    /// <summary>Every rating, read 100k at a time with <paramref name="betweenReads"/> after each piece (LiteDB keeps every page a query read until released).</summary>
    private static IEnumerable<ReviewRating> RatingsInPieces(IRecommenderStore store, Action betweenReads)
    {
        string? after = null;
        while (true)
        {
            var piece = store.ReviewRatingsAfter(after, 100_000);
            foreach (var rating in piece)
            {
                yield return rating;
            }

            if (piece.Count < 100_000)
            {
                yield break;
            }

            after = piece[^1].Id;
            betweenReads();
        }
    }

    /// <summary>An item's own words: title, category path and its reviewers' liked phrases, as lemmas.</summary>
    private static HashSet<string> ItemWords(IQueryAnalyzer? analyzer, Item item, IReadOnlyList<string> likedKeywords)
    {
        var text = string.Join(" . ", new[] { item.Title ?? string.Empty }.Concat(item.Categories).Concat(likedKeywords.Take(ItemText.KeywordsInText)));
        return analyzer is null
            ? [.. text.ToLowerInvariant().Split([' ', ',', '.', '-', '/', '&', '(', ')'], StringSplitOptions.RemoveEmptyEntries)]
            : [.. analyzer.Words(text)];
    }
}
