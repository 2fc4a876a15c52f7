namespace Explainer.Core.Recommending;

/// <summary>A request that cannot be answered as asked: unknown user or item, store not enriched or indexed yet.</summary>
public class RecommendationException(string message) : Exception(message);

/// <summary>The user or item named does not exist in the store.</summary>
public sealed class NotFoundException(string message) : RecommendationException(message);

/// <summary>A free-text query none of whose words the encoder knows: there is nothing to rank for.</summary>
public sealed class QueryNotUnderstoodException(string message) : Exception(message);
