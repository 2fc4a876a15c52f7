using System.Numerics.Tensors;
using Explainer.Core.Domain;
using Explainer.Core.Ranking;

namespace Explainer.Evaluation;

/// <summary>
/// A clustered synthetic catalogue for ranking benchmarks and tests at sizes the real data does not reach: item vectors
/// around shared topic directions, users who review items of two topics (popular ones more often), and profiles of
/// keywords near those topics (some off-topic, one disliked), like real profiles' mix.
/// </summary>
public sealed record SyntheticCatalogue(ItemVectorIndex Index, InteractionData Data, IReadOnlyList<UserSignal> Users)
{
    public static SyntheticCatalogue Create(int items, int dimension, int users, int keywordsPerUser, int seed, int topics = 60, int reviewsPerUser = 8)
    {
        var random = new Random(seed);
        float[] Around(float[] centre, double noise) => [.. centre.Select(c => (float)(c + (noise * Gaussian(random))))];
        var centres = Enumerable.Range(0, topics).Select(_ => Around(new float[dimension], 1)).ToArray();
        var topicOf = Enumerable.Range(0, items).Select(_ => random.Next(topics)).ToArray();
        var vectors = topicOf.Select(t => Around(centres[t], 0.8)).ToArray();
        var itemIds = Enumerable.Range(0, items).Select(i => $"i{i:D7}").ToArray();
        var byTopic = new List<int>[topics];
        for (var t = 0; t < topics; t++)
        {
            byTopic[t] = [];
        }

        for (var i = 0; i < items; i++)
        {
            byTopic[topicOf[i]].Add(i);
        }

        var reviews = new List<Review>();
        var tastes = new (int A, int B)[users];
        for (var u = 0; u < users; u++)
        {
            var (a, b) = (random.Next(topics), random.Next(topics));
            tastes[u] = (a, b);
            var reviewed = Enumerable.Range(0, reviewsPerUser)
                .Select(x => byTopic[x % 2 == 0 ? a : b])
                .Where(pool => pool.Count > 0)
                .Select(pool => pool[(int)(pool.Count * Math.Pow(random.NextDouble(), 3))]) // skewed toward each topic's first items: a popular head
                .Distinct();
            foreach (var i in reviewed)
            {
                reviews.Add(new Review { Id = $"r{reviews.Count}", UserId = $"u{u:D7}", ItemId = itemIds[i], Rating = 5, Time = DateTimeOffset.UnixEpoch.AddMinutes(reviews.Count) });
            }
        }

        var data = InteractionData.FromReviews(reviews, itemIds);
        var index = new ItemVectorIndex(dimension, vectors);
        var signals = new List<UserSignal>(users);
        for (var u = 0; u < users; u++)
        {
            var row = data.UserIndex[$"u{u:D7}"];
            var (a, b) = tastes[u];
            var keywords = Enumerable.Range(0, keywordsPerUser).Select(k => (
                new Keyword { Text = $"k{k}", Weight = 1 + random.Next(5), Polarity = k == keywordsPerUser - 1 ? Polarity.Disliked : Polarity.Liked },
                Around(centres[k == keywordsPerUser - 1 || k % 3 == 0 ? random.Next(topics) : k % 2 == 0 ? a : b], 0.9))).ToList();
            var profile = new float[dimension];
            foreach (var (_, v) in keywords)
            {
                TensorPrimitives.Add(profile, v, profile);
            }

            signals.Add(new UserSignal(keywords, profile, HybridRanker.History(data.ByUser[row], 2), data.ByUser[row].Select(x => x.Item).ToHashSet(), row));
        }

        return new SyntheticCatalogue(index, data, signals);
    }

    private static double Gaussian(Random random) => Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
