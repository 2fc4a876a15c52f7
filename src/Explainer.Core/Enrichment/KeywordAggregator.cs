using System.Numerics.Tensors;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>
/// Merges keywords found in many reviews into one weighted list (a user's interests, or what an item's reviewers
/// talk about). One keyword per lemma, and per near-identical embedding; each occurrence weighs
/// <c>score × rating strength × recency</c>, so frequent, strongly rated, recent mentions count most.
/// </summary>
public static class KeywordAggregator
{
    public const int MaxKeywords = 40;
    public const int MaxEvidence = 3;

    /// <summary>Cosine above which two keywords are the same interest ("pop filter" / "pop filters screen").</summary>
    public const float SameKeywordCosine = 0.92f;

    /// <summary>A review's mentions lose half their weight every two years, relative to the newest review.</summary>
    public static readonly TimeSpan RecencyHalfLife = TimeSpan.FromDays(730);

    /// <param name="aspectOf">The aspect of a phrase lemma (the corpus inventory), to tag each keyword with.</param>
    public static IReadOnlyList<Keyword> Aggregate(IEnumerable<(Review Review, IReadOnlyList<ReviewKeyword> Keywords)> mentions, Func<string, float[]?>? vectorOf = null, Func<string, string?>? aspectOf = null)
    {
        var list = mentions.ToList();
        if (list.Count == 0)
        {
            return [];
        }

        var newest = list.Max(m => m.Review.Time);
        var groups = new Dictionary<string, Group>(StringComparer.Ordinal);
        foreach (var (review, keywords) in list.OrderBy(m => m.Review.Time).ThenBy(m => m.Review.Id, StringComparer.Ordinal))
        {
            var recency = Math.Pow(0.5, (newest - review.Time).TotalDays / RecencyHalfLife.TotalDays);
            foreach (var k in keywords)
            {
                if (!groups.TryGetValue(k.Lemma, out var g))
                {
                    groups[k.Lemma] = g = new Group(k.Lemma);
                }

                // How strongly the sentence says it when the engine measured that, else what the rating says.
                var strength = k.Sentiment != 0 ? Math.Clamp(Math.Abs(k.Sentiment), 0.25, 1) : Strength(review.Rating, k.Polarity);
                var w = k.Score * strength * recency;
                if (k.Polarity == Polarity.Liked)
                {
                    g.Liked += w;
                }
                else
                {
                    g.Disliked += w;
                }

                g.Surfaces[k.Text] = g.Surfaces.GetValueOrDefault(k.Text) + 1;
                if (g.Evidence.Count < MaxEvidence && g.Evidence.All(e => e.ReviewId != review.Id))
                {
                    g.Evidence.Add(new Evidence(review.Id, k.Sentence));
                }
            }
        }

        var ordered = groups.Values.OrderByDescending(g => g.Mass).ThenBy(g => g.Lemma, StringComparer.Ordinal).ToList();
        var merged = vectorOf is null ? ordered : MergeNearIdentical(ordered, vectorOf);
        var top = merged.Take(MaxKeywords).ToList();
        var max = top.Count > 0 ? top.Max(g => g.Mass) : 1;
        return [.. top.Select(g => new Keyword
        {
            Text = g.Surfaces.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).First().Key,
            Weight = Math.Round(g.Mass / max, 6),
            Polarity = g.Liked >= g.Disliked ? Polarity.Liked : Polarity.Disliked,
            Evidence = [.. g.Evidence],
            Aspect = aspectOf?.Invoke(g.Lemma),
        })];
    }

    /// <summary>How much a rating says about the polarity it gave: a 5-star like or a 1-star dislike counts fully, a 3-star remark a quarter.</summary>
    public static double Strength(double rating, Polarity polarity)
    {
        var s = polarity == Polarity.Liked ? (rating - 1) / 4 : (5 - rating) / 4;
        return Math.Clamp(s, 0.25, 1);
    }

    private static List<Group> MergeNearIdentical(List<Group> ordered, Func<string, float[]?> vectorOf)
    {
        var kept = new List<(Group Group, float[]? Vector)>();
        foreach (var g in ordered)
        {
            var v = vectorOf(g.Surfaces.Keys.First());
            var twin = v is null ? -1 : kept.FindIndex(k => k.Vector is not null && TensorPrimitives.CosineSimilarity(k.Vector, v) >= SameKeywordCosine);
            if (twin < 0)
            {
                kept.Add((g, v));
                continue;
            }

            var into = kept[twin].Group;
            into.Liked += g.Liked;
            into.Disliked += g.Disliked;
            foreach (var e in g.Evidence.Where(e => into.Evidence.Count < MaxEvidence && into.Evidence.All(x => x.ReviewId != e.ReviewId)))
            {
                into.Evidence.Add(e);
            }
        }

        return [.. kept.Select(k => k.Group).OrderByDescending(g => g.Mass).ThenBy(g => g.Lemma, StringComparer.Ordinal)];
    }

    private sealed class Group(string lemma)
    {
        public string Lemma { get; } = lemma;

        public double Liked { get; set; }

        public double Disliked { get; set; }

        public double Mass => Math.Max(Liked, Disliked);

        public Dictionary<string, int> Surfaces { get; } = new(StringComparer.Ordinal);

        public List<Evidence> Evidence { get; } = [];
    }
}
