using Explainer.Core.Domain;
using Explainer.Core.Ranking;
using Explainer.Ingest;
using Explainer.Ingest.Formats;

namespace Explainer.Evaluation.Tests;

/// <summary>Builders for synthetic interaction data and the loader of the real Amazon data (../shared beside the repo).</summary>
internal static class TestData
{
    private static readonly Lazy<InteractionData> AmazonData = new(LoadAmazon);

    public static InteractionData Amazon => AmazonData.Value;

    public static string SharedData
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Explainer.sln")))
                {
                    return Path.Combine(dir.FullName, "..", "shared", "data");
                }
            }

            throw new DirectoryNotFoundException($"No Explainer.sln above {AppContext.BaseDirectory}.");
        }
    }

    public static Review Review(string user, string item, long time, double rating = 5) => new()
    {
        Id = Core.Domain.Review.MakeId(user, item, DateTimeOffset.FromUnixTimeSeconds(time)),
        UserId = user,
        ItemId = item,
        Rating = rating,
        Time = DateTimeOffset.FromUnixTimeSeconds(time),
    };

    /// <summary>
    /// Planted structure: <paramref name="clusters"/> groups of <paramref name="itemsPerCluster"/> items; each user
    /// belongs to one group and interacts with <paramref name="perUser"/> random items of it (random times), plus one
    /// random item anywhere (noise). Deterministic for a seed.
    /// </summary>
    public static InteractionData Planted(int users = 400, int clusters = 8, int itemsPerCluster = 30, int perUser = 8, int seed = 7)
    {
        var random = new Random(seed);
        var reviews = new List<Review>();
        var itemCount = clusters * itemsPerCluster;
        for (var u = 0; u < users; u++)
        {
            var cluster = u % clusters;
            var items = Enumerable.Range(cluster * itemsPerCluster, itemsPerCluster).OrderBy(_ => random.Next()).Take(perUser).ToList();
            var noise = random.Next(itemCount);
            if (!items.Contains(noise))
            {
                items.Insert(random.Next(items.Count), noise);
            }

            foreach (var i in items)
            {
                reviews.Add(Review($"u{u:D4}", $"i{i:D4}", random.Next(1_000_000)));
            }
        }

        return InteractionData.FromReviews(reviews, Enumerable.Range(0, itemCount).Select(i => $"i{i:D4}"));
    }

    private static InteractionData LoadAmazon()
    {
        using var source = SourceFile.Open(Path.Combine(SharedData, "amazon-musical-instruments", "reviews.csv"));
        var reviews = AmazonReviews.Read(source).Select(r => r.Value?.Review ?? throw new InvalidDataException($"Bad row {r.Line}: {r.Problem}")).ToList();
        return InteractionData.FromReviews(reviews, reviews.Select(r => r.ItemId));
    }
}
