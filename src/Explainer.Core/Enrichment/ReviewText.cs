using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>The text keyword engines read from a review: its summary and its text, as one document.</summary>
public static class ReviewText
{
    /// <summary>"summary. text", or null when the review has neither (a rating-only source).</summary>
    public static string? Of(Review review)
    {
        ArgumentNullException.ThrowIfNull(review);
        var text = string.Join(". ", new[] { review.Summary, review.Text }.Where(s => !string.IsNullOrWhiteSpace(s)));
        return text.Length == 0 ? null : text;
    }
}
