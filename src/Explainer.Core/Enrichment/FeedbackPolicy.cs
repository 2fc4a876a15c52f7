using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>
/// How feedback changes a profile: the keywords of a liked item gain weight (or join the profile), the keywords of
/// a disliked item become dislikes; "not interested" only hides the item. Applied in time order on top of the
/// keywords from the user's reviews, so the result does not depend on when enrichment last ran.
/// </summary>
public static class FeedbackPolicy
{
    /// <summary>How many of the item's top keywords a like or dislike touches.</summary>
    public const int KeywordsPerItem = 5;

    public const double LikeBoost = 0.5;
    public const double DislikeWeight = 0.8;

    public static IReadOnlyList<Keyword> Apply(IReadOnlyList<Keyword> reviewKeywords, IEnumerable<(Feedback Feedback, IReadOnlyList<Keyword> ItemKeywords, string? ItemTitle)> feedback)
    {
        var byText = new Dictionary<string, Keyword>(StringComparer.OrdinalIgnoreCase);
        var order = new List<string>();
        foreach (var k in reviewKeywords)
        {
            if (byText.TryAdd(k.Text, k))
            {
                order.Add(k.Text);
            }
        }

        foreach (var (f, itemKeywords, title) in feedback.OrderBy(x => x.Feedback.Time).ThenBy(x => x.Feedback.ItemId, StringComparer.Ordinal))
        {
            if (f.Kind == FeedbackKind.NotInterested)
            {
                continue;
            }

            var evidence = new Evidence($"feedback:{f.ItemId}", $"You {(f.Kind == FeedbackKind.Like ? "liked" : "disliked")} {title ?? f.ItemId}.");
            foreach (var ik in itemKeywords.Where(k => k.Polarity == Polarity.Liked).Take(KeywordsPerItem))
            {
                byText.TryGetValue(ik.Text, out var had);
                Keyword updated = f.Kind == FeedbackKind.Like
                    ? new Keyword
                    {
                        Text = had?.Text ?? ik.Text,
                        Polarity = Polarity.Liked,
                        Weight = Math.Round((had is { Polarity: Polarity.Liked } ? had.Weight : 0) + (LikeBoost * ik.Weight), 6),
                        Evidence = [.. (had?.Evidence ?? []).Take(2), evidence],
                    }
                    : new Keyword
                    {
                        Text = had?.Text ?? ik.Text,
                        Polarity = Polarity.Disliked,
                        Weight = Math.Round(Math.Max(had?.Weight ?? 0, DislikeWeight * ik.Weight), 6),
                        Evidence = [.. (had?.Evidence ?? []).Take(2), evidence],
                    };
                if (had is null)
                {
                    order.Add(updated.Text);
                }

                byText[updated.Text] = updated;
            }
        }

        return [.. order.Select(t => byText[t]).OrderByDescending(k => k.Weight).ThenBy(k => k.Text, StringComparer.Ordinal)];
    }
}
