using System.Text.Json;
using Explainer.Core.Ingest;
using Explainer.Ingest;
using Explainer.Storage;

namespace Explainer.Tests.Ingest;

public sealed class ImporterTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ExplainerStore _store;

    public ImporterTests() => _store = ExplainerStore.Open(_dir.File("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    /// <summary>Everything stored, as text: equal snapshots mean an unchanged store.</summary>
    private string Snapshot() => JsonSerializer.Serialize(new
    {
        Users = _store.Users().OrderBy(u => u.Id).ToList(),
        Items = _store.Items().OrderBy(i => i.Id).ToList(),
        Reviews = _store.Reviews().OrderBy(r => r.Id).ToList(),
    });

    [Fact]
    public async Task Csv_reviews_with_quotes_newlines_and_entities_are_read_and_reingest_is_idempotent()
    {
        var file = _dir.Write("reviews.csv", Fixtures.ReviewsCsv(12));

        var first = await new Importer(_store).ImportAmazonAsync(file, null);
        Assert.Equal(12, first.Reviews.Added);
        Assert.Equal(3, first.Users.Added);
        Assert.Equal(4, first.ItemsWithoutMetadata);

        var review = _store.ReviewsByUser("U1")[0];
        Assert.Contains("Warm tone, \"great\" & quiet.", review.Text, StringComparison.Ordinal);
        Assert.Contains("Second line", review.Text, StringComparison.Ordinal);
        Assert.Equal("Name, 1", _store.FindUser("U1")!.Name);

        var before = Snapshot();
        var second = await new Importer(_store).ImportAmazonAsync(file, null);
        Assert.Equal(0, second.Reviews.Added + second.Reviews.Updated + second.Users.Added + second.Users.Updated + second.Items.Added);
        Assert.Equal(12, second.Reviews.Unchanged);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task Json_lines_2014_and_2018_layouts_plain_and_gzip()
    {
        var y2014 = _dir.WriteGzip("reviews-2014.json.gz", Fixtures.ReviewsJson2014);
        var y2018 = _dir.Write("reviews-2018.json", Fixtures.ReviewsJson2018);

        await new Importer(_store).ImportAmazonAsync(y2014, null);
        await new Importer(_store).ImportAmazonAsync(y2018, null);

        var ann = Assert.Single(_store.ReviewsByUser("A1"));
        Assert.Equal((3, 4), (ann.HelpfulVotes, ann.TotalVotes!.Value));
        Assert.Equal("Bright & clear strings.", ann.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1393545600), ann.Time);

        var bo = Assert.Single(_store.ReviewsByUser("A3"));
        Assert.Equal(1234, bo.HelpfulVotes);
        Assert.Null(bo.TotalVotes);
        Assert.Equal(4.0, bo.Rating);
        Assert.Equal("Bo", _store.FindUser("A3")!.Name);
        Assert.Equal(4, _store.Reviews().Count());
    }

    [Fact]
    public async Task Item_metadata_csv_and_json_lines_decode_entities_and_keep_categories()
    {
        await new Importer(_store).ImportAmazonAsync(null, _dir.Write("items.csv", Fixtures.ItemsCsv));
        var strings = _store.FindItem("B1")!;
        Assert.Equal("Ernie Ball 2221 Regular Slinky 10\"-46\" Strings", strings.Title);
        Assert.Equal(4.99m, strings.Price);
        Assert.Equal(["Electric Guitar Strings"], strings.Categories);
        Assert.Null(_store.FindItem("B2")!.Price);

        await new Importer(_store).ImportAmazonAsync(null, _dir.WriteGzip("meta.json.gz", Fixtures.ItemsJson2014 + "\n" + Fixtures.ItemsJson2018));
        var b1 = _store.FindItem("B1")!;
        Assert.Equal("Ernie Ball Slinky & Co", b1.Title);
        Assert.Equal("Strings", b1.LeafCategory);
        Assert.Equal("Guitar & Bass Accessories", b1.Categories[2]);

        var b2 = _store.FindItem("B2")!;
        Assert.Equal(19.99m, b2.Price);
        Assert.Equal("On-Stage", b2.Brand);
        Assert.Equal("Sturdy boom arm. Folds flat.", b2.Description);
        Assert.Equal(["Steel", "Black finish"], b2.Attributes["feature"]);
        Assert.Equal(["Musical Instruments", "Microphones & Accessories", "Stands"], b2.Categories);
    }

    [Fact]
    public async Task Broken_rows_are_reported_with_file_line_and_field_and_skipped()
    {
        // Each fixture row spans two lines. Row 5 has a non-numeric rating; row 9 has too few fields.
        var file = _dir.Write("broken.csv", Fixtures.ReviewsCsv(12, i => i switch
        {
            5 => Fixtures.ReviewCsvRow(i).Replace(",1.0,", ",five,", StringComparison.Ordinal),
            9 => "U9,I9,oops",
            _ => null,
        }));

        var summary = await new Importer(_store).ImportAmazonAsync(file, null);

        Assert.Equal(10, summary.Reviews.Added);
        var problems = summary.Files.Single().Examples;
        Assert.Equal(2, problems.Count);
        Assert.Equal(("overall", 10L), (problems[0].Field, problems[0].Line)); // header + 4 two-line rows = line 10
        Assert.Contains("'five' is not a number", problems[0].Reason, StringComparison.Ordinal);
        Assert.Equal(("(row)", 18L), (problems[1].Field, problems[1].Line));
        Assert.Equal(file, problems[1].File);
    }

    [Fact]
    public async Task Strict_mode_fails_on_the_first_broken_row_and_stores_nothing()
    {
        await new Importer(_store).ImportAmazonAsync(null, _dir.Write("items.csv", Fixtures.ItemsCsv));
        var before = Snapshot();
        var file = _dir.Write("broken.csv", Fixtures.ReviewsCsv(12, i => i == 7 ? "U7,I7,x,\"[0, 0]\",text,4.0,s,notatime,d" : null));

        var ex = await Assert.ThrowsAsync<MalformedRowException>(() => new Importer(_store, strict: true).ImportAmazonAsync(file, null));

        Assert.Equal("unixReviewTime", ex.Problem.Field);
        Assert.Equal(14, ex.Problem.Line);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task A_truncated_gzip_fails_clearly_and_leaves_the_store_as_it_was()
    {
        await new Importer(_store).ImportAmazonAsync(_dir.Write("ok.csv", Fixtures.ReviewsCsv(5)), null);
        var before = Snapshot();

        var whole = File.ReadAllBytes(_dir.WriteGzip("full.csv.gz", Fixtures.ReviewsCsv(3000)));
        var truncated = _dir.File("truncated.csv.gz");
        File.WriteAllBytes(truncated, whole[..(whole.Length / 2)]);

        var ex = await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(truncated, null));

        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated.csv.gz", ex.Message, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task A_file_of_the_wrong_format_fails_clearly_and_leaves_the_store_as_it_was()
    {
        await new Importer(_store).ImportAmazonAsync(_dir.Write("ok.csv", Fixtures.ReviewsCsv(5)), null);
        var before = Snapshot();

        // Item metadata passed as reviews, a MovieLens file passed as reviews, and binary noise.
        var asReviews = await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(_dir.Write("items.csv", Fixtures.ItemsCsv), null));
        Assert.Contains("lacks reviewerID, asin, overall, unixReviewTime", asReviews.Message, StringComparison.Ordinal);
        Assert.Equal(1, asReviews.Line);

        var jsonItems = await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(_dir.Write("meta.json", Fixtures.ItemsJson2018), null));
        Assert.Contains("does not look like Amazon reviews", jsonItems.Message, StringComparison.Ordinal);

        var noise = _dir.File("noise.bin");
        File.WriteAllBytes(noise, [.. Enumerable.Range(0, 4096).Select(i => (byte)((i * 7919) % 251))]);
        await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(noise, null));

        var movies = await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportMovieLensAsync(_dir.Write("movies.csv", "1,Toy Story (1995),Comedy\n"), null, null));
        Assert.Contains("MovieLens ratings", movies.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(_dir.File("missing.csv"), null));
        Assert.Equal(before, Snapshot());
    }

    [Fact]
    public async Task A_failure_in_the_second_file_rolls_back_the_first()
    {
        var before = Snapshot();
        var items = _dir.Write("items.csv", Fixtures.ItemsCsv);
        var bad = _dir.Write("bad.json", "[1, 2, 3]\n");

        await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportAmazonAsync(bad, items));

        Assert.Equal(before, Snapshot());
        Assert.Null(_store.FindItem("B1"));
    }

    [Fact]
    public async Task Cancellation_rolls_back()
    {
        var file = _dir.Write("many.csv", Fixtures.ReviewsCsv(20_000));
        using var cts = new CancellationTokenSource();
        var progress = new CancelAfterFirstReport(cts);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new Importer(_store, progress: progress).ImportAmazonAsync(file, null, cts.Token));

        Assert.Empty(_store.Reviews());
    }

    private sealed class CancelAfterFirstReport(CancellationTokenSource cts) : IProgress<IngestProgress>
    {
        public void Report(IngestProgress value) => cts.Cancel();
    }

    [Fact]
    public async Task MovieLens_with_and_without_header_rows()
    {
        var withHeader = _dir.Write("ratings-h.csv", "userId,movieId,rating,timestamp\n1,10,4.5,1306926135\n2,10,0.5,1306926136\n");
        var movies = _dir.Write("movies.csv", "10,\"American President, The (1995)\",Comedy|Drama|Romance\n11,Nothing (2001),(no genres listed)\n");
        var tags = _dir.Write("tags.csv", "userId,movieId,tag,timestamp\n1,10,politics,1306926135\n2,10,Politics,1306926136\n2,10,romance,1306926137\n");

        var summary = await new Importer(_store).ImportMovieLensAsync(withHeader, movies, tags);

        Assert.Equal((2, 2, 2), (summary.Reviews.Added, summary.Users.Added, summary.Items.Added));
        var movie = _store.FindItem("10")!;
        Assert.Equal("The American President (1995)", movie.Title);
        Assert.Equal(["Comedy", "Drama", "Romance"], movie.Categories);
        Assert.Equal(["politics", "romance"], movie.Attributes["tag"]);
        Assert.Equal(["1995"], movie.Attributes["year"]);
        Assert.Empty(_store.FindItem("11")!.Categories);
        Assert.Null(_store.ReviewsByUser("1").Single().Text);

        var noHeader = _dir.Write("ratings.csv", "1,10,4.5,1306926135\n2,10,0.5,1306926136\n");
        var again = await new Importer(_store).ImportMovieLensAsync(noHeader, movies, tags);
        Assert.Equal(0, again.Reviews.Added + again.Reviews.Updated + again.Items.Updated + again.Items.Added);
    }
}
