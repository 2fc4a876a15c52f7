namespace Explainer.Core.Ranking;

/// <summary>
/// Weights of the score's parts (configuration section <c>Ranking</c>). Each part is standardised (z-score over the
/// candidate items) before weighting, so the weights compare. The defaults are the setting <c>explainer eval</c> chose on
/// the validation split of the Amazon data (never the test split); EaseLambda and HistoryHalfLife were picked the same
/// way by running eval with EXPLAINER_Ranking__* overrides and comparing validation NDCG only.
/// </summary>
public sealed record RankingOptions
{
    public const string Section = "Ranking";

    /// <summary>Σ_k w_k · sim(keyword_k, item) over the profile's keywords (dislikes subtract).</summary>
    public double KeywordWeight { get; init; } = 0.1;

    /// <summary>Cosine of the whole profile vector with the item.</summary>
    public double ProfileWeight { get; init; } = 0.5;

    /// <summary>Item co-occurrence with what the user reviewed (item-kNN).</summary>
    public double CollaborativeWeight { get; init; } = 1.0;

    /// <summary>Item-kNN: shrunk co-occurrence cosine with what the user reviewed (a second collaborative view beside EASE^R).</summary>
    public double NeighbourWeight { get; init; } = 0.6;

    /// <summary>The item's mean rating, shrunk toward the global mean by <see cref="RatingShrinkage"/> pseudo-ratings.</summary>
    public double RatingPriorWeight { get; init; }

    /// <summary>log-popularity of the item.</summary>
    public double PopularityWeight { get; init; } = 0.2;

    /// <summary>Extra score for unpopular items (1 − normalised log-popularity); 0 = off.</summary>
    public double LongTailBoost { get; init; }

    /// <summary>How much a disliked keyword's similarity subtracts, relative to a liked one's addition.</summary>
    public double DislikePenalty { get; init; } = 1.0;

    public double RatingShrinkage { get; init; } = 10;

    /// <summary>
    /// Catalogue size up to which the keyword part is computed exactly for every item (one pass over the items per profile
    /// keyword); above it, exactly for the best candidates only, so a request costs about the same whatever the
    /// profile's size (see <c>HybridRanker.KeywordColumn</c>).
    /// </summary>
    public int ExactKeywordItems { get; init; } = 4096;

    /// <summary>
    /// In the collaborative parts, a reviewed item's weight halves every this many newer reviews of the user (the most
    /// recent items say most about the next one); 0 = all equal.
    /// </summary>
    public double HistoryHalfLife { get; init; } = 2;

    /// <summary>λ of the EASE^R model behind the collaborative part; 0 = plain item co-occurrence cosine instead.</summary>
    public double EaseLambda { get; init; } = 200;

    /// <summary>Weight of side information (shared category and keywords) in EASE^R's Gram matrix; 0 = interactions only.</summary>
    public double EaseSideWeight { get; init; }

    /// <summary>
    /// Largest catalogue (items with reviews) EASE^R is fitted on: its dense inverse takes n² floats and n³ steps
    /// (3,000 items: 72 MB and about 15 s on one core; 9,000: 915 MB and 255 s). Above it the item-kNN part alone is
    /// the collaborative signal, over every item (see <c>CollaborativeModelChoice</c>).
    /// </summary>
    public int EaseMaxItems { get; init; } = 3000;

    public int Neighbours { get; init; } = 100;

    public double Shrink { get; init; } = 200;

    public override string ToString() =>
        $"kw={KeywordWeight} prof={ProfileWeight} cf={CollaborativeWeight} knn={NeighbourWeight} rating={RatingPriorWeight} pop={PopularityWeight} tail={LongTailBoost}";
}
