namespace Explainer.Core.Recommending;

/// <summary>A request that cannot be answered as asked: unknown user or item, store not enriched or indexed yet.</summary>
public sealed class RecommendationException(string message) : Exception(message);
