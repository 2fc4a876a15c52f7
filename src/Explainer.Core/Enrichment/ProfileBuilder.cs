using Explainer.Core.Domain;
using Explainer.Core.Storage;

namespace Explainer.Core.Enrichment;

/// <summary>Builds a user's stored profile from the keywords of their reviews and their feedback; shared by enrichment and feedback.</summary>
public static class ProfileBuilder
{
    public static string Hash(string engine, IEnumerable<Review> reviews, IEnumerable<Feedback> feedback) =>
        InputHash.Of([engine, .. reviews.OrderBy(r => r.Id, StringComparer.Ordinal).SelectMany(InputHash.Fields), "feedback", .. feedback.SelectMany(InputHash.Fields)]);

    public static async Task<InterestProfile> BuildAsync(
        string userId,
        IReadOnlyList<Keyword> reviewKeywords,
        IReadOnlyList<Feedback> feedback,
        IRecommenderStore store,
        PhraseVectors vectors,
        string engine,
        string inputHash,
        int? previousVersion,
        CancellationToken cancellationToken)
    {
        var withItems = feedback.Select(f =>
        {
            var description = store.FindDescription(f.ItemId);
            return (f, description?.Keywords ?? (IReadOnlyList<Keyword>)[], store.FindItem(f.ItemId)?.Title);
        }).ToList();
        var keywords = FeedbackPolicy.Apply(reviewKeywords, withItems);
        await vectors.EnsureAsync(keywords.Select(k => k.Text), cancellationToken).ConfigureAwait(false);
        previousVersion ??= store.FindProfile(userId)?.Version;
        return new InterestProfile
        {
            UserId = userId,
            ReviewKeywords = reviewKeywords,
            Keywords = keywords,
            Topics = TopicClusterer.Cluster(keywords, vectors.Get),
            Engine = engine,
            InputHash = inputHash,
            Version = (previousVersion ?? 0) + 1,
            UpdatedAt = DateTimeOffset.UtcNow,
        };
    }
}
