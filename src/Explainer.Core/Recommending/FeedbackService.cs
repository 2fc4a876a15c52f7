using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Storage;

namespace Explainer.Core.Recommending;

/// <summary>Stores a like / dislike / not-interested and rebuilds the user's profile with it, in one transaction.</summary>
public sealed class FeedbackService(IRecommenderStore store, PhraseVectors vectors, TimeProvider? clock = null)
{
    public async Task<InterestProfile?> ApplyAsync(string userId, string itemId, FeedbackKind kind, CancellationToken cancellationToken)
    {
        if (store.FindUser(userId) is null)
        {
            throw new RecommendationException($"Unknown user '{userId}'.");
        }

        if (store.FindItem(itemId) is null)
        {
            throw new RecommendationException($"Unknown item '{itemId}'.");
        }

        var feedback = new Feedback
        {
            Id = $"{userId}|{itemId}",
            UserId = userId,
            ItemId = itemId,
            Kind = kind,
            Time = (clock ?? TimeProvider.System).GetUtcNow(),
        };

        var current = store.FindProfile(userId);
        if (current is null)
        {
            // Not enriched yet: the feedback is kept and applied when the profile is built.
            store.SaveFeedback(feedback, null);
            return null;
        }

        var all = store.FeedbackByUser(userId).Where(f => f.ItemId != itemId).Append(feedback).OrderBy(f => f.Time).ToList();
        var hash = ProfileBuilder.Hash(current.Engine, store.ReviewsByUser(userId), all);
        var profile = await ProfileBuilder.BuildAsync(userId, current.ReviewKeywords, all, store, vectors, current.Engine, hash, cancellationToken).ConfigureAwait(false);
        store.SaveFeedback(feedback, profile);
        return profile;
    }
}
