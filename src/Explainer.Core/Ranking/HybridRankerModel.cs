using Explainer.Core.Domain;
using Explainer.Core.Enrichment;

namespace Explainer.Core.Ranking;

/// <summary>
/// Explainer's ranker as an <see cref="IRecommenderModel"/>, so the offline evaluation measures it exactly like the
/// baselines: features come from the training interactions only, and one weight setting is one candidate.
/// </summary>
public sealed class HybridRankerModel(HybridRankerModelSource source, RankingOptions options) : IRecommenderModel
{
    private HybridRankerInputs? _features;

    public string Name => "Explainer";

    public RankingOptions Options => options;

    public async Task FitAsync(InteractionData train, CancellationToken cancellationToken) =>
        _features = await source.FeaturesAsync(train, cancellationToken).ConfigureAwait(false);

    public void Score(int user, Span<float> scores)
    {
        var features = _features ?? throw new InvalidOperationException("Fit the model first.");
        var columns = features.ColumnsOf(user);
        HybridRanker.Combine(columns, options, scores);
        if (columns.Candidates is not null)
        {
            // As serving does: on a large catalogue only the candidates (exact keyword part) are ranked.
            for (var i = 0; i < scores.Length; i++)
            {
                if (!columns.Ranks(i))
                {
                    scores[i] = float.NegativeInfinity;
                }
            }
        }
    }
}

/// <summary>The data behind <see cref="HybridRankerModel"/> candidates, with features cached per training set.</summary>
/// <param name="collaborative">Creates the collaborative part (e.g. EASE^R) for a training set given the items' shared tags; null (or a null model) = item co-occurrence cosine.</param>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Its keyword cache is in memory (no spill file): disposing it releases nothing.")]
public sealed class HybridRankerModelSource(IReadOnlyList<Review> reviews, IReadOnlyList<Item> items, IKeywordExtractor extractor, PhraseVectors vectors, Func<InteractionData, IReadOnlyList<int[]>, IRecommenderModel?>? collaborative = null, double historyHalfLife = 0)
{
    private readonly Dictionary<string, Review> _reviews = reviews.ToDictionary(r => r.Id, StringComparer.Ordinal);
    private readonly Dictionary<string, Item> _items = items.ToDictionary(i => i.Id, StringComparer.Ordinal);
    private readonly ReviewKeywordCache _keywords = new(extractor);
    private readonly Lock _gate = new();
    private (InteractionData Train, Task<HybridRankerInputs> Features)? _last;

    /// <summary>Features of <paramref name="train"/>; candidates fitted on the same training set share one build.</summary>
    public Task<HybridRankerInputs> FeaturesAsync(InteractionData train, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_last is not { } last || !ReferenceEquals(last.Train, train) || last.Features.IsFaulted || last.Features.IsCanceled)
            {
                _last = (train, HybridRankerInputs.BuildAsync(train, _reviews, _items, _keywords, vectors, collaborative, historyHalfLife, cancellationToken));
            }

            return _last.Value.Features;
        }
    }

    /// <summary>The weight settings tried on the validation split.</summary>
    public static IEnumerable<RankingOptions> Grid()
    {
        foreach (var kw in new[] { 0.0, 0.1, 0.25 })
        {
            foreach (var prof in new[] { 0.0, 0.25, 0.5 })
            {
                foreach (var knn in new[] { 0.0, 0.3, 0.6 })
                {
                    foreach (var pop in new[] { 0.0, 0.1, 0.2 })
                    {
                        yield return new RankingOptions { KeywordWeight = kw, ProfileWeight = prof, NeighbourWeight = knn, PopularityWeight = pop, RatingPriorWeight = 0 };
                    }
                }
            }
        }
    }
}
