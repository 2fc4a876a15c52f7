using Explainer.Core.Concurrency;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Storage;

namespace Explainer.Core.Recommending;

/// <summary>
/// Stores a like / dislike / not-interested and rebuilds the user's profile with it, in one transaction. Feedback of
/// one user is applied one at a time (a read-modify-write of the profile), and the store refuses a profile written
/// over a version it did not read (another process), which is then rebuilt on the newer one: no update is lost, and
/// the version counts every change.
/// </summary>
public sealed class FeedbackService(IRecommenderStore store, PhraseVectors vectors, TimeProvider? clock = null)
{
    private const int Attempts = 5;
    private readonly KeyedAsyncLock _users = new();

    public async Task<InterestProfile?> ApplyAsync(string userId, string itemId, FeedbackKind kind, CancellationToken cancellationToken)
    {
        if (store.FindUser(userId) is null)
        {
            throw new NotFoundException($"Unknown user '{userId}'.");
        }

        if (store.FindItem(itemId) is null)
        {
            throw new NotFoundException($"Unknown item '{itemId}'.");
        }

        var feedback = new Feedback
        {
            Id = $"{userId}|{itemId}",
            UserId = userId,
            ItemId = itemId,
            Kind = kind,
            Time = (clock ?? TimeProvider.System).GetUtcNow(),
        };

        using var held = await _users.AcquireAsync(userId, cancellationToken).ConfigureAwait(false);
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            var current = store.FindProfile(userId);
            if (current is null)
            {
                // Not enriched yet: the feedback is kept and applied when the profile is built.
                if (store.SaveFeedback(feedback, null, expectedProfileVersion: null))
                {
                    return null;
                }

                continue;
            }

            var all = store.FeedbackByUser(userId).Where(f => f.ItemId != itemId).Append(feedback).OrderBy(f => f.Time).ToList();
            var hash = ProfileBuilder.Hash(current.Engine, store.ReviewsByUser(userId), all);
            var profile = await ProfileBuilder.BuildAsync(userId, current.ReviewKeywords, all, store, vectors, current.Engine, hash, current.Version, cancellationToken).ConfigureAwait(false);
            if (store.SaveFeedback(feedback, profile, expectedProfileVersion: current.Version))
            {
                return profile;
            }
        }

        throw new RecommendationException($"The profile of '{userId}' kept changing while the feedback was applied ({Attempts} attempts); try again.");
    }
}
