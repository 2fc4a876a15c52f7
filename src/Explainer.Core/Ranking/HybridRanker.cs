using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Core.Ranking;

/// <summary>
/// Explainer's ranking. For user u and item i:
/// <code>
/// score = a·z(Σ_k s_k w_k · max(0, cos(v_k, i)) / Σ_k w_k)   keywords (s_k = +1 liked, −DislikePenalty disliked)
///       + b·z(cos(profile_u, i))                              whole profile
///       + c·z(collaborative(u, i))                            item co-occurrence: EASE^R's item–item weights when a
///                                                              fitted model is given, else the neighbour part below
///       + g·z(Σ_{j ∈ history(u)} cosine_shrunk(i, j))          item-kNN neighbours (reviewed items only, not liked feedback)
///       + d·z(shrunk mean rating of i) + e·z(log popularity of i) + f·(1 − normalised log popularity)
/// </code>
/// where z standardises a part over the candidate items (the long-tail term is not standardised: it is a bounded
/// boost). Items in <see cref="UserSignal.Excluded"/> never appear, and only <see cref="UserSignal.Eligible"/> ones
/// when given. Each result carries its reasons: the parts grouped by kind (collaborative, content, popularity,
/// discovery) in order of what they add, with the evidence behind each. Optional MMR re-ranking trades relevance for diversity.
/// </summary>
public sealed class HybridRanker
{
    private const int DiversityPool = 100;
    private const int MatchedPerItem = 3;

    private readonly ItemVectorIndex _items;
    private readonly ItemCooccurrence? _cooccurrence;
    private readonly IRecommenderModel? _collaborative;
    private readonly float[] _ratingPrior;
    private readonly float[] _popularity;
    private readonly int[] _counts;
    private readonly double[] _meanRating;
    private readonly IReadOnlyList<string> _itemIds;
    private readonly ColumnPool _columns;

    /// <param name="collaborative">A model fitted on <paramref name="interactions"/>; scores users with a row in them.</param>
    public HybridRanker(ItemVectorIndex items, ItemCooccurrence? cooccurrence, InteractionData interactions, RankingOptions options, IRecommenderModel? collaborative = null)
    {
        _items = items;
        _cooccurrence = cooccurrence;
        _collaborative = collaborative;
        Options = options;
        _itemIds = interactions.ItemIds;
        (_ratingPrior, _popularity, _counts, _meanRating) = Priors(interactions, options.RatingShrinkage, items.Count);
        _columns = new ColumnPool(items.Count);
    }

    public RankingOptions Options { get; }

    public int ItemCount => _items.Count;

    /// <summary>The score's parts for every item, each standardised over the non-excluded items, and the standard deviations they were divided by.</summary>
    public sealed record ScoreColumns(float[] Keywords, float[] Profile, float[] Collaborative, float[] Neighbours, float[] RatingPrior, float[] Popularity, float[] LongTail)
    {
        public double CollaborativeScale { get; init; } = 1;

        /// <summary>
        /// Above <see cref="RankingOptions.ExactKeywordItems"/>, the items whose keyword part is exact: only they may be
        /// recommended (the others' keyword value is an estimate on another scale). Null: every item's is exact.
        /// </summary>
        public IReadOnlySet<int>? Candidates { get; init; }

        /// <summary>Whether item <paramref name="item"/> may be ranked on these columns.</summary>
        public bool Ranks(int item) => Candidates?.Contains(item) != false;

        public double NeighbourScale { get; init; } = 1;
    }

    /// <summary>How many of the user's items a collaborative reason names, and how many similar reviewed items a content reason.</summary>
    public const int EvidenceItems = 5;

    /// <summary>Above <see cref="RankingOptions.ExactKeywordItems"/>, how many items get the exact keyword part (the best by a linear estimate of it).</summary>
    public const int KeywordCandidates = 512;

    /// <summary>Above that size, the exact keyword part's mean and spread are estimated from every ⌊n / this⌋-th item (1,024 to 2,047 of them).</summary>
    public const int KeywordSample = 1024;

    public ScoreColumns ComputeColumns(UserSignal user) => ComputeColumns(user, null);

    /// <summary>The columns, in arrays from <paramref name="pool"/> when given (the caller returns them), else new ones.</summary>
    private ScoreColumns ComputeColumns(UserSignal user, ColumnPool? pool)
    {
        var n = _items.Count;
        float[] Column() => pool?.Rent() ?? new float[n];
        var profile = Column();
        var (queries, coefficients) = KeywordQueries(user);
        float[]? linear = null;
        if (n > Options.ExactKeywordItems && queries.Length > 0)
        {
            // The keyword estimate (below) and the profile in one pass over the int8 copy of the item matrix: at scale
            // the pass is bound by memory bandwidth, so reading each row once, and a quarter of its bytes, is what
            // counts. Both are approximate (~1e-3 on a cosine); the keyword part of the candidates is then exact.
            var query = new float[_items.Dimension];
            for (var k = 0; k < queries.Length; k++)
            {
                TensorPrimitives.MultiplyAdd(queries[k], coefficients[k], query, query);
            }

            linear = Column();
            var profileQuery = user.ProfileVector is { } v ? Normalised(v) : null;
            if (QuantisedVectors.IsAccelerated)
            {
                _items.Quantised.Similarities(query, profileQuery, linear, profile);
            }
            else
            {
                _items.Similarities(query, profileQuery, linear, profile);
            }
        }
        else if (user.ProfileVector is { } p)
        {
            _items.Similarities(Normalised(p), profile);
        }

        var neighbours = Column();
        _cooccurrence?.Accumulate(user.History, neighbours);

        var collaborative = Column();
        if (_collaborative is IHistoryScorer weighted && user.History.Count > 0)
        {
            weighted.Score(user.History, collaborative);
        }
        else if (_collaborative is not null && user.User >= 0)
        {
            _collaborative.Score(user.User, collaborative);

            // Models mark items they cannot score with a huge negative number; to the hybrid that is "no signal".
            for (var i = 0; i < n; i++)
            {
                if (!float.IsFinite(collaborative[i]) || collaborative[i] < -1e6f)
                {
                    collaborative[i] = 0;
                }
            }
        }
        else
        {
            neighbours.CopyTo(collaborative);
        }

        var tail = Column();
        TensorPrimitives.Subtract(1f, _popularity, tail);
        var collaborativeScale = Standardise(collaborative, user.Excluded);
        var neighbourScale = Standardise(neighbours, user.Excluded);
        Standardise(profile, user.Excluded);
        var rating = Column();
        var popularity = Column();
        _ratingPrior.CopyTo(rating, 0);
        _popularity.CopyTo(popularity, 0);
        Standardise(rating, user.Excluded);
        Standardise(popularity, user.Excluded);
        var columns = new ScoreColumns([], profile, collaborative, neighbours, rating, popularity, tail)
        {
            CollaborativeScale = collaborativeScale,
            NeighbourScale = neighbourScale,
        };
        var (keywords, candidates) = KeywordColumn(user, columns, queries, coefficients, linear, Column, pool);
        return columns with { Keywords = keywords, Candidates = candidates };
    }

    /// <summary>
    /// The keyword part, standardised: Σ_k c_k · max(0, cos(v_k, i)) with c_k = s_k w_k / Σ w. Exact for every item up to
    /// <see cref="RankingOptions.ExactKeywordItems"/> items (one pass per keyword). Above, the clipping is what stops it
    /// collapsing into one query vector, so the cost would be keywords × items × dimension per request; instead the
    /// unclipped sum (one pass, one query vector) picks <see cref="KeywordCandidates"/> items by the whole score, and
    /// those get the exact part, standardised by its mean and spread over <see cref="KeywordSample"/> evenly spaced items.
    /// The other items keep the estimate, standardised over itself, which is on another scale: they are returned as not
    /// candidates, and <see cref="Rank"/> (like the evaluation) ranks only the candidates.
    /// </summary>
    private (float[] Keywords, IReadOnlySet<int>? Candidates) KeywordColumn(UserSignal user, ScoreColumns others, float[][] queries, float[] coefficients, float[]? linear, Func<float[]> column, ColumnPool? pool)
    {
        var n = _items.Count;
        if (queries.Length == 0)
        {
            return (column(), null);
        }

        if (linear is null)
        {
            var exact = column();
            _items.AddClippedSimilarities(queries, coefficients, exact);
            Standardise(exact, user.Excluded);
            return (exact, null);
        }

        var keywords = linear;
        Standardise(keywords, user.Excluded);
        var preliminary = column();
        Combine(others with { Keywords = keywords }, Options, preliminary);
        var candidates = ItemVectorIndex.TopK(preliminary, KeywordCandidates, i => user.Excluded.Contains(i) || user.Eligible?.Invoke(i) == false);
        pool?.Return(preliminary);

        double sum = 0, sumSq = 0;
        var counted = 0;
        var step = Math.Max(1, n / KeywordSample);
        for (var i = 0; i < n; i += step)
        {
            if (!user.Excluded.Contains(i))
            {
                var v = ExactKeywords(i, queries, coefficients);
                sum += v;
                sumSq += v * v;
                counted++;
            }
        }

        var mean = counted > 0 ? sum / counted : 0;
        var std = counted > 0 ? Math.Sqrt(Math.Max((sumSq / counted) - (mean * mean), 0)) : 0;
        foreach (var i in candidates)
        {
            keywords[i] = std < 1e-9 ? 0 : (float)((ExactKeywords(i, queries, coefficients) - mean) / std);
        }

        return (keywords, candidates.ToHashSet());
    }

    /// <summary>Each profile keyword's normalised vector and its coefficient s_k w_k / Σ w (s = +1 liked, −DislikePenalty disliked).</summary>
    private (float[][] Queries, float[] Coefficients) KeywordQueries(UserSignal user)
    {
        var totalWeight = Math.Max(user.Keywords.Sum(k => k.Keyword.Weight), 1e-9);
        return (
            [.. user.Keywords.Select(k => Normalised(k.Vector))],
            [.. user.Keywords.Select(k => (float)((k.Keyword.Polarity == Polarity.Liked ? 1 : -Options.DislikePenalty) * k.Keyword.Weight / totalWeight))]);
    }

    private double ExactKeywords(int item, float[][] queries, float[] coefficients)
    {
        if (!_items.Present[item])
        {
            return 0;
        }

        var vector = _items.Vector(item);
        double value = 0;
        for (var k = 0; k < queries.Length; k++)
        {
            value += coefficients[k] * Math.Max(0f, TensorPrimitives.Dot(queries[k], vector));
        }

        return value;
    }

    /// <summary>The weighted sum of <paramref name="parts"/> under <paramref name="options"/>, into <paramref name="scores"/>.</summary>
    public static void Combine(ScoreColumns parts, RankingOptions options, Span<float> scores)
    {
        scores.Clear();
        TensorPrimitives.MultiplyAdd(parts.Keywords, (float)options.KeywordWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.Profile, (float)options.ProfileWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.Collaborative, (float)options.CollaborativeWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.Neighbours, (float)options.NeighbourWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.RatingPrior, (float)options.RatingPriorWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.Popularity, (float)options.PopularityWeight, scores, scores);
        TensorPrimitives.MultiplyAdd(parts.LongTail, (float)options.LongTailBoost, scores, scores);
    }

    /// <summary>The top <paramref name="k"/> items, optionally diversified by MMR with weight <paramref name="diversity"/> in [0, 1].</summary>
    public IReadOnlyList<Recommendation> Rank(UserSignal user, IReadOnlyList<string> itemIds, int k, double diversity = 0)
    {
        var parts = ComputeColumns(user, _columns);
        var scores = _columns.Rent();
        try
        {
            Combine(parts, Options, scores);
            bool Excluded(int i) => user.Excluded.Contains(i) || user.Eligible?.Invoke(i) == false || !parts.Ranks(i);

            var chosen = diversity > 0
                ? Diversify(ItemVectorIndex.TopK(scores, Math.Max(DiversityPool, k), Excluded), scores, k, Math.Clamp(diversity, 0, 1))
                : ItemVectorIndex.TopK(scores, k, Excluded);

            return [.. chosen.Select((i, rank) => new Recommendation
            {
                Rank = rank + 1,
                ItemId = itemIds[i],
                Score = Math.Round(scores[i], 6),
                MatchedKeywords = Matched(user, i),
                Breakdown = new ScoreBreakdown(parts.Keywords[i], parts.Profile[i], parts.Collaborative[i], parts.Neighbours[i], parts.RatingPrior[i], parts.Popularity[i], parts.LongTail[i]),
                Reasons = Reasons(user, parts, i),
            })];
        }
        finally
        {
            // Everything read from the columns has been copied into the results above.
            _columns.Return(parts.Keywords, parts.Profile, parts.Collaborative, parts.Neighbours, parts.RatingPrior, parts.Popularity, parts.LongTail, scores);
        }
    }

    /// <summary>
    /// The parts of item <paramref name="item"/>'s score grouped by kind, positive contributions only, largest first, each
    /// with its share of them and its evidence: for the collaborative kind the user's items that add most to it (their
    /// EASE^R weight and kNN similarity to the item, each scaled as the part was), with co-reviewer counts; for content
    /// the user's items nearest in meaning; for popularity the item's review count and mean rating.
    /// </summary>
    public IReadOnlyList<Reason> Reasons(UserSignal user, ScoreColumns parts, int item)
    {
        var o = Options;
        var contributions = new (ReasonKind Kind, double Value)[]
        {
            (ReasonKind.Collaborative, (o.CollaborativeWeight * parts.Collaborative[item]) + (o.NeighbourWeight * parts.Neighbours[item])),
            (ReasonKind.Content, (o.KeywordWeight * parts.Keywords[item]) + (o.ProfileWeight * parts.Profile[item])),
            (ReasonKind.Popularity, (o.PopularityWeight * parts.Popularity[item]) + (o.RatingPriorWeight * parts.RatingPrior[item])),
            (ReasonKind.Discovery, o.LongTailBoost * parts.LongTail[item]),
        };
        var positive = contributions.Where(c => c.Value > 1e-9).ToList();
        var total = positive.Sum(c => c.Value);
        return [.. positive.OrderByDescending(c => c.Value).ThenBy(c => c.Kind).Select(c =>
        {
            var reason = new Reason(c.Kind, Math.Round(c.Value, 6), Math.Round(c.Value / total, 4));
            return c.Kind switch
            {
                ReasonKind.Collaborative => reason with { History = HistoryLinks(user, parts, item) },
                ReasonKind.Content => reason with { Similar = ContentLinks(user, item) },
                ReasonKind.Popularity or ReasonKind.Discovery => reason with { Reviewers = _counts[item], MeanRating = Math.Round(_meanRating[item], 2) },
                _ => reason,
            };
        })];
    }

    private List<HistoryLink> HistoryLinks(UserSignal user, ScoreColumns parts, int item)
    {
        var ease = _collaborative as EaseModel;
        var links = new List<HistoryLink>();
        foreach (var (j, h) in user.History)
        {
            var knn = _cooccurrence?.Similarity(j, item) ?? 0;
            var cf = ease is not null ? ease.Weight(j, item) : knn; // without EASE^R the collaborative part is the neighbour part
            var value = h * ((Options.CollaborativeWeight * cf / parts.CollaborativeScale) + (Options.NeighbourWeight * knn / parts.NeighbourScale));
            if (value > 1e-9)
            {
                var (both, of) = _cooccurrence?.CoReviewers(j, item) ?? (0, 0);
                links.Add(new HistoryLink(_itemIds[j], Math.Round(value, 6), both, of));
            }
        }

        return [.. links.OrderByDescending(l => l.Contribution).ThenBy(l => l.ItemId, StringComparer.Ordinal).Take(EvidenceItems)];
    }

    private List<ContentLink> ContentLinks(UserSignal user, int item)
    {
        if (!_items.Present[item])
        {
            return [];
        }

        return [.. (user.ContentItems ?? [.. user.History.Select(h => h.Item)])
            .Distinct()
            .Where(j => j != item && _items.Present[j])
            .Select(j => new ContentLink(_itemIds[j], Math.Round(TensorPrimitives.Dot(_items.Vector(j), _items.Vector(item)), 4)))
            .OrderByDescending(l => l.Similarity).ThenBy(l => l.ItemId, StringComparer.Ordinal)
            .Take(EvidenceItems)];
    }

    /// <summary>A user's interactions (oldest first) as weighted history: weight 0.5^(newer reviews / half-life).</summary>
    public static (int Item, float Weight)[] History(IReadOnlyList<Interaction> interactions, double halfLife) =>
        [.. interactions.Select((x, i) => (x.Item, halfLife > 0 ? (float)Math.Pow(0.5, (interactions.Count - 1 - i) / halfLife) : 1f))];

    /// <summary>Maximal marginal relevance over a pool: each pick maximises (1−λ)·relevance − λ·max cos(item, picked).</summary>
    private int[] Diversify(int[] pool, float[] scores, int k, double lambda)
    {
        if (pool.Length == 0)
        {
            return pool;
        }

        var lo = pool.Min(i => scores[i]);
        var hi = pool.Max(i => scores[i]);
        var picked = new List<int>();
        var left = new List<int>(pool);
        while (picked.Count < k && left.Count > 0)
        {
            var best = left.MaxBy(i =>
            {
                var relevance = hi > lo ? (scores[i] - lo) / (hi - lo) : 1;
                var redundancy = picked.Count == 0 || !_items.Present[i] ? 0 : picked.Max(j => TensorPrimitives.Dot(_items.Vector(i), _items.Vector(j)));
                return ((1 - lambda) * relevance) - (lambda * redundancy);
            });
            picked.Add(best);
            left.Remove(best);
        }

        return [.. picked];
    }

    private List<MatchedKeyword> Matched(UserSignal user, int item)
    {
        if (!_items.Present[item])
        {
            return [];
        }

        var total = Math.Max(user.Keywords.Sum(k => k.Keyword.Weight), 1e-9);
        return [.. user.Keywords
            .Select(k =>
            {
                var sim = Math.Max(0, TensorPrimitives.Dot(Normalised(k.Vector), _items.Vector(item)));
                var sign = k.Keyword.Polarity == Polarity.Liked ? 1 : -Options.DislikePenalty;
                return new MatchedKeyword(k.Keyword.Text, k.Keyword.Polarity, k.Keyword.Weight, Math.Round(sim, 4), Math.Round(sign * k.Keyword.Weight * sim / total, 6));
            })
            .Where(m => m.Polarity == Polarity.Liked && m.Contribution > 0)
            .OrderByDescending(m => m.Contribution)
            .ThenBy(m => m.Keyword, StringComparer.Ordinal)
            .Take(MatchedPerItem)];
    }

    private static float[] Normalised(float[] v)
    {
        var norm = TensorPrimitives.Norm(v);
        if (norm is 0 or 1)
        {
            return v;
        }

        var copy = new float[v.Length];
        TensorPrimitives.Divide(v, norm, copy);
        return copy;
    }

    /// <summary>Standardises <paramref name="values"/> in place over the items not excluded; returns the standard deviation divided by (1 when flat).</summary>
    private static double Standardise(float[] values, IReadOnlySet<int> excluded)
    {
        // Sums over every item, then the (few) excluded ones taken out: no set lookup per item.
        double sum = 0, sumSq = 0;
        foreach (var v in values)
        {
            sum += v;
            sumSq += (double)v * v;
        }

        var n = values.Length;
        foreach (var i in excluded)
        {
            if ((uint)i < (uint)values.Length)
            {
                sum -= values[i];
                sumSq -= (double)values[i] * values[i];
                n--;
            }
        }

        if (n <= 0)
        {
            return 1;
        }

        var mean = sum / n;
        var std = Math.Sqrt(Math.Max((sumSq / n) - (mean * mean), 0));
        if (std < 1e-9)
        {
            Array.Clear(values);
            return 1;
        }

        TensorPrimitives.Subtract(values, (float)mean, values);
        TensorPrimitives.Divide(values, (float)std, values);
        return std;
    }

    private static (float[] Rating, float[] Popularity, int[] Counts, double[] Mean) Priors(InteractionData data, double shrinkage, int itemCount)
    {
        var sums = new double[itemCount];
        var counts = new int[itemCount];
        double total = 0;
        var all = 0;
        foreach (var list in data.ByUser)
        {
            foreach (var x in list)
            {
                sums[x.Item] += x.Rating;
                counts[x.Item]++;
                total += x.Rating;
                all++;
            }
        }

        var mean = all > 0 ? total / all : 0;
        var maxLog = Math.Log(1 + Math.Max(1, itemCount == 0 ? 1 : counts.Max()));
        var rating = new float[itemCount];
        var popularity = new float[itemCount];
        var raw = new double[itemCount];
        for (var i = 0; i < itemCount; i++)
        {
            rating[i] = (float)((sums[i] + (shrinkage * mean)) / (counts[i] + shrinkage));
            popularity[i] = (float)(Math.Log(1 + counts[i]) / maxLog);
            raw[i] = counts[i] > 0 ? sums[i] / counts[i] : 0;
        }

        return (rating, popularity, counts, raw);
    }
}
