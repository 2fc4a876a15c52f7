using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>One phrase of one review, with its aspect: the unit both user attention and item quality are counted from.</summary>
public sealed record AspectMentionOf(Review Review, ReviewKeyword Keyword, string Aspect);

/// <summary>
/// User attention and item quality per aspect, from the mentions (Zhang et al., SIGIR 2014, "Explicit factor models"):
/// a user's attention grows with how often they talk about an aspect; an item's quality is its reviewers' mean
/// sentiment on it, shrunk toward neutral (0) by pseudo-mentions, so two glowing mentions do not beat twenty good ones.
/// (Toward neutral rather than the aspect's corpus mean: the mean would have to be kept over incremental runs, and a
/// neutral prior only asks for more evidence before an item is called good at something.)
/// </summary>
public static class AspectScores
{
    /// <summary>Pseudo-mentions at the corpus mean that an item's quality is shrunk with.</summary>
    public const double Shrinkage = 3;

    public const int MaxEvidence = 3;

    public const int MaxAspects = 30;

    public static IReadOnlyList<AspectOpinion> ForUser(IEnumerable<AspectMentionOf> mentions) =>
        Build(mentions, list => 1 - Math.Exp(-list.Count / 2.0));

    public static IReadOnlyList<AspectOpinion> ForItem(IEnumerable<AspectMentionOf> mentions) =>
        Build(mentions, list => list.Sum(Sentiment) / (list.Count + Shrinkage));

    /// <summary>A mention's sentiment: the engine's measure, else the polarity (neutral mentions count as mildly positive).</summary>
    public static double Sentiment(AspectMentionOf m) => m.Keyword.Sentiment != 0 ? m.Keyword.Sentiment : m.Keyword.Polarity == Polarity.Liked ? 0.25 : -0.25;

    private static List<AspectOpinion> Build(IEnumerable<AspectMentionOf> mentions, Func<List<AspectMentionOf>, double> score)
    {
        return [.. mentions
            .GroupBy(m => m.Aspect, StringComparer.Ordinal)
            .Select(g =>
            {
                // One mention per review and aspect: a review that says "tone" three times is one voice.
                var list = g.GroupBy(m => m.Review.Id, StringComparer.Ordinal).Select(r => r.OrderByDescending(m => Math.Abs(Sentiment(m))).First()).ToList();
                return new AspectOpinion
                {
                    Aspect = g.Key,
                    Mentions = list.Count,
                    Positive = list.Count(m => Sentiment(m) > 0),
                    Negative = list.Count(m => Sentiment(m) < 0),
                    Score = Math.Round(score(list), 6),
                    Sentiment = Math.Round(list.Average(Sentiment), 6),
                    Evidence = [.. list.OrderByDescending(Sentiment).ThenBy(m => m.Review.Id, StringComparer.Ordinal).Take(MaxEvidence)
                        .Select(m => new AspectMention(m.Review.Id, m.Keyword.Sentence, m.Keyword.Text, Math.Round(Sentiment(m), 4)))],
                };
            })
            .OrderByDescending(a => a.Mentions).ThenByDescending(a => a.Score).ThenBy(a => a.Aspect, StringComparer.Ordinal)
            .Take(MaxAspects)];
    }
}
