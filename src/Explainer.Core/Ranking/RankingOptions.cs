namespace Explainer.Core.Ranking;

/// <summary>
/// Weights of the score's parts (configuration section <c>Ranking</c>). Each part is standardised (z-score over the
/// candidate items) before weighting, so the weights compare. Defaults were chosen on the validation split of
/// the Amazon data by <c>explainer eval</c>, never on its test split.
/// </summary>
public sealed record RankingOptions
{
    public const string Section = "Ranking";

    /// <summary>Σ_k w_k · sim(keyword_k, item) over the profile's keywords (dislikes subtract).</summary>
    public double KeywordWeight { get; init; } = 0.5;

    /// <summary>Cosine of the whole profile vector with the item.</summary>
    public double ProfileWeight { get; init; } = 0.25;

    /// <summary>Item co-occurrence with what the user reviewed (item-kNN).</summary>
    public double CollaborativeWeight { get; init; } = 1.0;

    /// <summary>The item's mean rating, shrunk toward the global mean by <see cref="RatingShrinkage"/> pseudo-ratings.</summary>
    public double RatingPriorWeight { get; init; } = 0.05;

    /// <summary>log-popularity of the item.</summary>
    public double PopularityWeight { get; init; } = 0.3;

    /// <summary>Extra score for unpopular items (1 − normalised log-popularity); 0 = off.</summary>
    public double LongTailBoost { get; init; }

    /// <summary>How much a disliked keyword's similarity subtracts, relative to a liked one's addition.</summary>
    public double DislikePenalty { get; init; } = 1.0;

    public double RatingShrinkage { get; init; } = 10;

    /// <summary>λ of the EASE^R model behind the collaborative part; 0 = plain item co-occurrence cosine instead.</summary>
    public double EaseLambda { get; init; } = 200;

    public int Neighbours { get; init; } = 100;

    public double Shrink { get; init; } = 50;

    public override string ToString() =>
        $"kw={KeywordWeight} prof={ProfileWeight} cf={CollaborativeWeight} rating={RatingPriorWeight} pop={PopularityWeight} tail={LongTailBoost}";
}
