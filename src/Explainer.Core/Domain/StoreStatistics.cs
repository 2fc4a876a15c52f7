namespace Explainer.Core.Domain;

/// <summary>Quantiles of a count distribution (reviews per user, reviews per item).</summary>
public sealed record CountQuantiles(int Min, double P25, double Median, double P75, double P90, int Max, double Mean);

/// <summary>What <c>explainer stats</c> shows.</summary>
public sealed record StoreStatistics(
    int Users,
    int Items,
    int Reviews,
    int ReviewsWithText,
    IReadOnlyList<KeyValuePair<double, int>> RatingHistogram,
    CountQuantiles ReviewsPerUser,
    CountQuantiles ReviewsPerItem,
    IReadOnlyList<KeyValuePair<string, int>> TopCategories);
