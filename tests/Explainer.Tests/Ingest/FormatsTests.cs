using Explainer.Core.Ingest;
using Explainer.Ingest;
using Explainer.Ingest.Formats;
using Explainer.Storage;

namespace Explainer.Tests.Ingest;

/// <summary>What users bring: Amazon 2014 metadata as Python literals, any review file through a column mapping, bad bytes, duplicates.</summary>
public sealed class FormatsTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ExplainerStore _store;

    public FormatsTests() => _store = ExplainerStore.Open(_dir.File("store.db"));

    public void Dispose()
    {
        _store.Dispose();
        _dir.Dispose();
    }

    // Lines as the official 2014 dump prints them (repr of a dict): single and double quotes, escapes, numbers, nested dicts.
    private const string Metadata2014 =
        "{'asin': '0000031852', 'title': 'Girls Ballet Tutu Zebra Hot Pink', 'price': 3.17, 'imUrl': 'http://ecx.images-amazon.com/images/I/51fAmVkTbyL._SY300_.jpg', 'related': {'also_bought': ['B00JHONN1S', 'B002BZX8Z6'], 'bought_together': ['B002BZX8Z6']}, 'salesRank': {'Toys & Games': 211836}, 'brand': 'Coxlists', 'categories': [['Sports & Outdoors', 'Other Sports', 'Dance']]}\n" +
        "{'asin': 'B00004T1YD', 'title': \"Kid's \\\"Tutu\\\" \\u00e9t\\xe9 set\", 'description': 'Line one\\nline two', 'categories': [['Musical Instruments', 'Instrument Accessories', 'Tuners']], 'related': {}, 'flag': True, 'missing': None}\n";

    [Fact]
    public void Python_literals_become_the_same_json()
    {
        Assert.Equal("{\"a\":1,\"b\":[\"x\",2.5,true,null],\"c\":{\"d\":\"it's\"}}", PythonLiteral.ToJson("{'a': 1, 'b': ['x', 2.5, True, None], 'c': {'d': \"it's\"}}"));
        Assert.Equal("[1,2]", PythonLiteral.ToJson("(1, 2)"));
        Assert.Equal("\"tab\\there\"", PythonLiteral.ToJson("'tab\\there'"));
        Assert.Contains("column", Assert.Throws<FormatException>(() => PythonLiteral.ToJson("{'a': os.system('x')}")).Message, StringComparison.Ordinal);
        Assert.Throws<FormatException>(() => PythonLiteral.ToJson("{'a': 'unclosed}"));
        Assert.True(PythonLiteral.LooksLikeOne("{'asin': 'x'}"));
        Assert.False(PythonLiteral.LooksLikeOne("{\"asin\": \"x\"}"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Amazon_2014_metadata_is_read_directly_plain_or_gzipped(bool gzip)
    {
        var file = gzip ? _dir.WriteGzip("meta.json.gz", Metadata2014) : _dir.Write("meta.json", Metadata2014);
        var summary = await new Importer(_store).ImportAmazonAsync(null, file);

        Assert.Equal(2, summary.Items.Added);
        var tutu = _store.FindItem("0000031852")!;
        Assert.Equal("Girls Ballet Tutu Zebra Hot Pink", tutu.Title);
        Assert.Equal(3.17m, tutu.Price);
        Assert.Equal("Coxlists", tutu.Brand);
        Assert.Equal(["Sports & Outdoors", "Other Sports", "Dance"], tutu.Categories);
        var kid = _store.FindItem("B00004T1YD")!;
        Assert.Equal("Kid's \"Tutu\" été set", kid.Title);
        Assert.Equal("Tuners", kid.LeafCategory);
    }

    [Fact]
    public async Task A_broken_python_literal_line_names_its_line()
    {
        var file = _dir.Write("meta.json", Metadata2014 + "{'asin': 'B0BAD', 'title': 'no end\n");
        var summary = await new Importer(_store).ImportAmazonAsync(null, file);
        var problem = Assert.Single(summary.Files.Single().Examples);
        Assert.Equal(3, problem.Line);
        Assert.Contains("Python literal", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(2, summary.Items.Added);
    }

    private static readonly ReviewColumns Yelp = new() { User = "user_id", Item = "business_id", Rating = "stars", Text = "text", Time = "date" };

    [Fact]
    public async Task A_yelp_style_csv_imports_through_a_column_mapping()
    {
        var file = _dir.Write("yelp.csv",
            "review_id,user_id,business_id,stars,useful,text,date\n" +
            "r1,u_A,b_1,5,0,\"Great tacos, friendly staff.\",2016-03-09 18:22:11\n" +
            "r2,u_B,b_1,2,1,\"Cold food; slow service.\",2016-03-10\n" +
            "r3,u_A,b_2,4,0,\"Nice patio.\",1457548931\n");
        var summary = await new Importer(_store).ImportMappedAsync(file, Yelp, null, null);

        Assert.Equal((3, 2, 2), (summary.Reviews.Added, summary.Users.Added, summary.Items.Added));
        var review = _store.ReviewsByUser("u_A").First(r => r.ItemId == "b_1");
        Assert.Equal(5, review.Rating);
        Assert.Equal(new DateTimeOffset(2016, 3, 9, 18, 22, 11, TimeSpan.Zero), review.Time);
        Assert.Equal("Great tacos, friendly staff.", review.Text);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1457548931), _store.ReviewsByUser("u_A").First(r => r.ItemId == "b_2").Time);
    }

    [Fact]
    public async Task Yelp_json_lines_with_a_business_file_give_titles_and_categories()
    {
        var reviews = _dir.Write("review.json",
            "{\"review_id\":\"r1\",\"user_id\":\"u1\",\"business_id\":\"b1\",\"stars\":4.0,\"text\":\"Good ramen.\",\"date\":\"2018-07-07 22:09:11\"}\n" +
            "{\"review_id\":\"r2\",\"user_id\":\"u2\",\"business_id\":\"b1\",\"stars\":1.0,\"text\":\"Rude.\",\"date\":\"2018-07-08 10:00:00\"}\n");
        var business = _dir.Write("business.json", "{\"business_id\":\"b1\",\"name\":\"Ramen Bar\",\"categories\":\"Restaurants, Japanese, Ramen\"}\n");
        var summary = await new Importer(_store).ImportMappedAsync(reviews, Yelp, business, new ItemColumns { Id = "business_id", Title = "name", Category = "categories" });

        Assert.Equal(2, summary.Reviews.Added);
        var item = _store.FindItem("b1")!;
        Assert.Equal("Ramen Bar", item.Title);
        Assert.Equal(["Restaurants", "Japanese", "Ramen"], item.Categories);
    }

    [Fact]
    public async Task A_missing_mapped_column_is_named_and_nothing_is_stored()
    {
        var file = _dir.Write("reviews.csv", "user,item,score\nu1,i1,5\n");
        var ex = await Assert.ThrowsAsync<IngestException>(() => new Importer(_store).ImportMappedAsync(file, Yelp, null, null));
        Assert.Contains("user_id", ex.Message, StringComparison.Ordinal);
        Assert.Empty(_store.Reviews());
    }

    [Fact]
    public async Task Ratings_outside_the_scale_are_malformed_rows_naming_the_field()
    {
        var file = _dir.Write("reviews.csv", Fixtures.ReviewsCsv(3, i => i == 2 ? "U9,I9,\"N\",\"[0, 0]\",\"text\",0.0,S,1400000002,\"x\"" : null));
        var summary = await new Importer(_store).ImportAmazonAsync(file, null);
        var problem = Assert.Single(summary.Files.Single().Examples);
        Assert.Equal("overall", problem.Field);
        Assert.Contains("outside 1", problem.Reason, StringComparison.Ordinal);
        Assert.Equal(2, summary.Reviews.Added);
    }

    [Fact]
    public async Task Invalid_utf8_is_counted_and_replaced()
    {
        var path = _dir.File("latin1.csv");
        var head = System.Text.Encoding.UTF8.GetBytes(Fixtures.ReviewsCsvHeader + "U1,I1,N,\"[0, 0]\",\"caf");
        var tail = System.Text.Encoding.UTF8.GetBytes(" au lait\",5.0,S,1400000001,\"x\"\n");
        await File.WriteAllBytesAsync(path, [.. head, 0xE9, 0xFF, .. tail]);

        var summary = await new Importer(_store).ImportAmazonAsync(path, null);
        Assert.Equal(2, summary.InvalidUtf8);
        Assert.Equal("caf\uFFFD\uFFFD au lait", _store.ReviewsByUser("U1").Single().Text);
    }

    [Fact]
    public async Task The_summary_tells_new_changed_duplicate_and_unchanged_apart()
    {
        var first = _dir.Write("a.csv", Fixtures.ReviewsCsv(4));
        await new Importer(_store).ImportAmazonAsync(first, null);

        // Row 1 again (a duplicate in the file), row 2 changed, rows 3-4 unchanged, row 5 new.
        var second = _dir.Write("b.csv", Fixtures.ReviewsCsv(5, i => i == 2 ? Fixtures.ReviewCsvRow(2).Replace("Summary 2", "Edited", StringComparison.Ordinal) : null) + Fixtures.ReviewCsvRow(1) + "\n");
        var summary = await new Importer(_store).ImportAmazonAsync(second, null);

        Assert.Equal((1, 1, 3, 1), (summary.Reviews.Added, summary.Reviews.Updated, summary.Reviews.Unchanged, summary.Reviews.DuplicateInFile));
        Assert.Equal(0, summary.Users.Updated);
    }

    [Fact]
    public async Task Ids_that_differ_only_in_case_are_different_users_and_items()
    {
        var file = _dir.Write("case.csv", Fixtures.ReviewsCsvHeader +
            "CaseUser,ITEM1,A,\"[0, 0]\",\"one\",5.0,S,1400000001,x\n" +
            "caseuser,item1,B,\"[0, 0]\",\"two\",4.0,S,1400000002,x\n");
        var summary = await new Importer(_store).ImportAmazonAsync(file, null);

        Assert.Equal((2, 2, 2), (summary.Users.Added, summary.Items.Added, summary.Reviews.Added));
        Assert.Equal("one", _store.ReviewsByUser("CaseUser").Single().Text);
        Assert.Equal("two", _store.ReviewsByUser("caseuser").Single().Text);
        Assert.Null(_store.FindUser("CASEUSER"));
    }

    [Fact]
    public async Task Markup_and_scripts_in_reviews_are_stored_as_plain_text()
    {
        var file = _dir.Write("xss.csv", Fixtures.ReviewsCsvHeader +
            "U1,I1,N,\"[0, 0]\",\"Good &lt;script&gt;steal()&lt;/script&gt; strings <b>bold</b> &amp;amp; fine\",5.0,S,1400000001,x\n");
        await new Importer(_store).ImportAmazonAsync(file, null);
        Assert.Equal("Good strings bold & fine", _store.ReviewsByUser("U1").Single().Text);
    }
}
