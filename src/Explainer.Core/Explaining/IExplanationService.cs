using Explainer.Core.Domain;
using Explainer.Core.Recommending;

namespace Explainer.Core.Explaining;

/// <summary>
/// "Why recommended": explanations of the items of a <see cref="RecommendationResult"/>, built from what the request
/// carries (profile snapshot, item rows, reasons), served from the store when still valid (same user, item, prompt
/// version, model and profile version), generated, verified and stored otherwise. The console and the HTTP API
/// depend only on this.
/// </summary>
public interface IExplanationService
{
    /// <summary>The explanations of every item of <paramref name="result"/>, in rank order (stored ones served, the rest written with one quote budget for the list).</summary>
    Task<IReadOnlyList<Explanation>> ExplainAllAsync(RecommendationResult result, CancellationToken cancellationToken);

    /// <summary>
    /// The explanation of item <paramref name="index"/> of <paramref name="result"/> alone, so a caller can show each item
    /// as it is ready. Not streamed token by token on purpose: a model's draft is shown only after it passed the checks.
    /// </summary>
    Task<Explanation> ExplainAsync(RecommendationResult result, int index, CancellationToken cancellationToken);
}
