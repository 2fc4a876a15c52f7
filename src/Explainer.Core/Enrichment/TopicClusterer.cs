using System.Numerics.Tensors;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>
/// Groups a profile's liked keywords into a few interest topics by their embeddings: leader clustering in weight
/// order (a keyword joins the nearest topic whose centroid it is close to, else starts one), labelled by the
/// topic's heaviest keyword. Deterministic, and enough for the tens of keywords a profile holds.
/// </summary>
public static class TopicClusterer
{
    public const int MaxTopics = 5;
    public const float JoinCosine = 0.6f;

    public static IReadOnlyList<InterestTopic> Cluster(IReadOnlyList<Keyword> keywords, Func<string, float[]?> vectorOf)
    {
        var topics = new List<(List<Keyword> Members, float[] Centroid)>();
        foreach (var k in keywords.Where(k => k.Polarity == Polarity.Liked).Take(24))
        {
            // A keyword with no known word embeds to zero and cannot be placed.
            if (vectorOf(k.Text) is not { } v || TensorPrimitives.Norm(v) == 0)
            {
                continue;
            }

            var (best, bestCos) = (-1, float.NegativeInfinity);
            for (var t = 0; t < topics.Count; t++)
            {
                var cos = TensorPrimitives.CosineSimilarity(topics[t].Centroid, v);
                if (cos > bestCos)
                {
                    (best, bestCos) = (t, cos);
                }
            }

            if ((best < 0 || bestCos < JoinCosine) && topics.Count < MaxTopics)
            {
                topics.Add(([k], [.. v]));
                continue;
            }

            if (best < 0)
            {
                continue;
            }

            topics[best].Members.Add(k);
            TensorPrimitives.Add(topics[best].Centroid, v, topics[best].Centroid);
        }

        return [.. topics
            .Select(t => new InterestTopic(t.Members[0].Text, [.. t.Members.Select(m => m.Text)], Math.Round(t.Members.Sum(m => m.Weight), 6)))
            .OrderByDescending(t => t.Weight)];
    }
}
