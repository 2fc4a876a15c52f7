using System.Collections.Concurrent;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;

namespace Explainer.Core.Ranking;

/// <summary>
/// Everything Explainer's ranker derives from one training set: keywords of the training reviews, user profiles
/// and item keywords aggregated from them (held-out reviews never leak in), item vectors, co-occurrence and
/// priors. Built once per training set and shared by every weight setting that is tried on it.
/// </summary>
public sealed class HybridRankerInputs
{
    private readonly ConcurrentDictionary<int, HybridRanker.ScoreColumns> _parts = new();
    private readonly UserSignal[] _signals;

    private HybridRankerInputs(HybridRanker ranker, UserSignal[] signals)
    {
        Ranker = ranker;
        _signals = signals;
    }

    public HybridRanker Ranker { get; }

    public HybridRanker.ScoreColumns ColumnsOf(int user) => _parts.GetOrAdd(user, u => Ranker.ComputeColumns(_signals[u]));

    public static async Task<HybridRankerInputs> BuildAsync(
        InteractionData train,
        IReadOnlyDictionary<string, Review> reviews,
        IReadOnlyDictionary<string, Item> items,
        ReviewKeywordCache keywords,
        PhraseVectors vectors,
        Func<InteractionData, IReadOnlyList<int[]>, IRecommenderModel?>? collaborative,
        double historyHalfLife,
        CancellationToken cancellationToken)
    {
        var trainReviews = train.ByUser.SelectMany(l => l).Select(x => reviews[x.ReviewId]).ToList();
        await keywords.EnsureAsync(trainReviews, cancellationToken).ConfigureAwait(false);

        // Item keywords and vectors from training reviews only.
        var itemKeywords = new IReadOnlyList<Keyword>[train.ItemCount];
        var byItem = trainReviews.GroupBy(r => train.ItemIndex[r.ItemId]).ToDictionary(g => g.Key, g => g.ToList());
        for (var i = 0; i < train.ItemCount; i++)
        {
            itemKeywords[i] = byItem.TryGetValue(i, out var list) ? KeywordAggregator.Aggregate(list.Select(r => (r, keywords.Get(r.Id)))) : [];
        }

        var itemTexts = Enumerable.Range(0, train.ItemCount)
            .Select(i => items.TryGetValue(train.ItemIds[i], out var item) ? ItemText.For(item, itemKeywords[i]) : train.ItemIds[i]).ToArray();

        var userKeywords = train.ByUser.Select(list => KeywordAggregator.Aggregate(list.Select(x => (reviews[x.ReviewId], keywords.Get(x.ReviewId))))).ToArray();
        await vectors.EnsureAsync(itemTexts.Concat(userKeywords.SelectMany(k => k).Select(k => k.Text)), cancellationToken).ConfigureAwait(false);

        var dimension = vectors.Get(itemTexts.First(t => vectors.Get(t) is not null))!.Length;
        var index = new ItemVectorIndex(dimension, [.. itemTexts.Select(vectors.Get)]);
        IRecommenderModel? cf = null;
        if (collaborative?.Invoke(train, SideInformation(train, items, itemKeywords)) is { } model)
        {
            cf = model;
            await cf.FitAsync(train, cancellationToken).ConfigureAwait(false);
        }

        var ranker = new HybridRanker(index, new ItemCooccurrence(train, new RankingOptions().Neighbours, new RankingOptions().Shrink), train, new RankingOptions(), cf);

        var signals = new UserSignal[train.UserCount];
        for (var u = 0; u < train.UserCount; u++)
        {
            var kws = userKeywords[u].Where(k => vectors.Get(k.Text) is not null).Select(k => (k, vectors.Get(k.Text)!)).ToList();
            signals[u] = new UserSignal(
                kws,
                ItemText.ProfileVector(userKeywords[u], vectors.Get, train.ByUser[u].Where(x => index.Present[x.Item]).Select(x => index.Vector(x.Item).ToArray())),
                HybridRanker.History(train.ByUser[u], historyHalfLife),
                train.ByUser[u].Select(x => x.Item).ToHashSet(),
                u);
        }

        return new HybridRankerInputs(ranker, signals);
    }

    /// <summary>Tags shared by items: the leaf category, and each of the item's top liked keywords (from training reviews).</summary>
    public static IReadOnlyList<int[]> SideInformation(InteractionData data, IReadOnlyDictionary<string, Item> items, IReadOnlyList<IReadOnlyList<Keyword>> itemKeywords)
    {
        var tags = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < data.ItemCount; i++)
        {
            var own = new HashSet<string>(StringComparer.Ordinal);
            if (items.TryGetValue(data.ItemIds[i], out var item) && item.LeafCategory is { } leaf)
            {
                own.Add("c:" + leaf);
            }

            foreach (var k in itemKeywords[i].Where(k => k.Polarity == Polarity.Liked).Take(SideKeywords))
            {
                own.Add("k:" + k.Text.ToLowerInvariant());
            }

            foreach (var tag in own)
            {
                (tags.TryGetValue(tag, out var list) ? list : tags[tag] = []).Add(i);
            }
        }

        return [.. tags.Where(t => t.Value.Count > 1).OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Value.ToArray())];
    }

    public const int SideKeywords = 10;
}
