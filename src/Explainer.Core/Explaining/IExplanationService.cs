using Explainer.Core.Domain;

namespace Explainer.Core.Explaining;

/// <summary>
/// "Why recommended": the explanation of one recommendation, served from the store when still valid (same user,
/// item, prompt version, model and profile version), generated, verified and stored otherwise.
/// Implemented by the explanation issue; the console and the HTTP API depend only on this.
/// </summary>
public interface IExplanationService
{
    /// <summary>The explanation for <paramref name="recommendation"/> made for <paramref name="userId"/>.</summary>
    Task<Explanation> ExplainAsync(string userId, Recommendation recommendation, CancellationToken cancellationToken);

    /// <summary>The same, streaming the text as it is generated (a stored explanation arrives as one piece); the stored record is returned last.</summary>
    IAsyncEnumerable<ExplanationChunk> ExplainStreamingAsync(string userId, Recommendation recommendation, CancellationToken cancellationToken);

    /// <summary>An explanation for a cold-start recommendation made for free text (not stored: there is no user).</summary>
    Task<Explanation> ExplainQueryAsync(string query, Recommendation recommendation, CancellationToken cancellationToken);
}

/// <summary>A piece of streamed explanation text; the last chunk carries the stored <see cref="Explanation"/>.</summary>
public sealed record ExplanationChunk(string Text, Explanation? Final = null);
