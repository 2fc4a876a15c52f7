using Explainer.Ingest;
using Explainer.Storage;

namespace Explainer.Tests.Ingest;

/// <summary>The real datasets in ../shared, imported as a user would.</summary>
public sealed class RealDataIngestTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Amazon_musical_instruments_imports_fully_and_reimports_as_no_change()
    {
        using var store = ExplainerStore.Open(_dir.File("amazon.db"));

        var first = await new Importer(store).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);

        Assert.Equal((10_261, 1_429, 900), (first.Reviews.Added, first.Users.Added, first.Items.Added));
        Assert.Equal(0, first.RowsSkipped);
        Assert.Equal(0, first.ItemsWithoutMetadata);

        var stats = store.Statistics();
        Assert.Equal((1_429, 900, 10_261), (stats.Users, stats.Items, stats.Reviews));
        Assert.Equal(10_261 - 7, stats.ReviewsWithText); // the README of the data: 7 rows have empty text
        Assert.Equal(5, stats.ReviewsPerUser.Min); // 5-core
        Assert.Equal(5, stats.ReviewsPerItem.Min);
        Assert.Equal(10_261, stats.RatingHistogram.Sum(kv => kv.Value));

        var user = store.ReviewsByUser("A2IBPI20UZIR0U");
        Assert.Contains(user, r => r.ItemId == "1384719342" && r.Text!.Contains("pop filters", StringComparison.Ordinal));
        Assert.DoesNotContain(store.Items(), i => i.Title!.Contains("&quot;", StringComparison.Ordinal));

        var second = await new Importer(store).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);
        Assert.Equal(0, second.Reviews.Added + second.Users.Added + second.Items.Added + second.Reviews.Updated + second.Users.Updated + second.Items.Updated);
        Assert.Equal(stats, store.Statistics() with { RatingHistogram = stats.RatingHistogram, TopCategories = stats.TopCategories });
        Assert.Equal(stats.RatingHistogram, store.Statistics().RatingHistogram);
    }

    [Fact]
    public async Task MovieLens_latest_small_imports_ratings_movies_genres_and_tags()
    {
        using var store = ExplainerStore.Open(_dir.File("ml.db"));
        var dir = TestPaths.MovieLens;

        var summary = await new Importer(store).ImportMovieLensAsync(
            Path.Combine(dir, "ratings.csv"), Path.Combine(dir, "movies.csv"), Path.Combine(dir, "tags.csv"));

        Assert.Equal((100_023, 706), (summary.Reviews.Added, summary.Users.Added));
        Assert.Equal(8_570, store.Statistics().Items);
        Assert.Equal(2_488, summary.Files.Single(f => f.Kind == "MovieLens tags").RowsRead);
        Assert.Equal(0, summary.RowsSkipped);

        var toyStory = store.FindItem("1")!;
        Assert.Equal("Toy Story (1995)", toyStory.Title);
        Assert.Contains("Animation", toyStory.Attributes["genre"]);
        Assert.Equal(toyStory.Attributes["genre"], toyStory.Categories);
        Assert.Contains(store.Items(), i => i.Attributes.TryGetValue("tag", out var tags) && tags.Count > 0);

        // "Bourne Identity, The (2002)" in the file: stored as the title is said.
        Assert.Equal("The Bourne Identity (2002)", store.FindItem("5418")!.Title);
    }
}
