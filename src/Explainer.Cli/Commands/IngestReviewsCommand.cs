using System.CommandLine;
using System.Text.Json;
using Explainer.Core.Ingest;
using Explainer.Ingest.Formats;

namespace Explainer.Cli.Commands;

/// <summary>
/// <c>explainer ingest reviews --file F --user-col C --item-col C --rating-col C [...]</c>: any review dump (CSV with a
/// header, or JSON lines) through a column mapping given as options, a mapping file, or a preset (<c>--preset yelp</c>).
/// </summary>
public sealed class IngestReviewsCommand : ExplainerCommand
{
    private readonly Option<FileInfo> _file = new("--file") { Description = "The reviews: CSV with a header row, or JSON lines; plain or .gz.", HelpName = "FILE", Required = true };
    private readonly Option<FileInfo?> _items = new("--items") { Description = "Optional item metadata (CSV or JSON lines), mapped with --item-id-col, --title-col, ...", HelpName = "FILE" };
    private readonly Option<FileInfo?> _mapping = new("--mapping")
    {
        Description = "A JSON file {\"reviews\": {\"user\": ..., \"item\": ..., \"rating\": ..., \"text\": ..., \"time\": ...}, \"items\": {\"id\": ..., \"title\": ..., \"category\": ...}}; options given on the command line win.",
        HelpName = "FILE",
    };

    private readonly Option<string?> _preset = new("--preset") { Description = "A known layout: yelp (review.json: user_id, business_id, stars, text, date; business.json: business_id, name, categories).", HelpName = "NAME" };
    private readonly Option<string?> _user = Column("--user-col", "the reviewer's id (required)");
    private readonly Option<string?> _item = Column("--item-col", "the item's id (required)");
    private readonly Option<string?> _rating = Column("--rating-col", "the star rating (required)");
    private readonly Option<string?> _text = Column("--text-col", "the review text");
    private readonly Option<string?> _summary = Column("--summary-col", "a review title or summary");
    private readonly Option<string?> _time = Column("--time-col", "when it was written: Unix seconds or milliseconds, or a date such as 2016-03-09 18:22:11 (UTC)");
    private readonly Option<string?> _userName = Column("--user-name-col", "the reviewer's display name");
    private readonly Option<string?> _itemTitle = Column("--item-title-col", "the item's title, when the review rows carry it");
    private readonly Option<string?> _itemCategory = Column("--item-category-col", "the item's category, when the review rows carry it");
    private readonly Option<double?> _ratingMin = new("--rating-min") { Description = "Lowest valid rating (default 1): anything below is a malformed row.", HelpName = "N" };
    private readonly Option<double?> _ratingMax = new("--rating-max") { Description = "Highest valid rating (default 5).", HelpName = "N" };
    private readonly Option<string?> _itemId = Column("--item-id-col", "in --items: the item's id");
    private readonly Option<string?> _title = Column("--title-col", "in --items: the title");
    private readonly Option<string?> _category = Column("--category-col", "in --items: the category (a list, or comma-separated root to leaf)");
    private readonly Option<string?> _price = Column("--price-col", "in --items: the price");
    private readonly Option<string?> _brand = Column("--brand-col", "in --items: the brand");
    private readonly Option<string?> _description = Column("--description-col", "in --items: a description");

    public IngestReviewsCommand()
        : base("reviews", "Import reviews from any CSV or JSON-lines file by naming its columns (e.g. Yelp: --preset yelp). One transaction; re-running changes nothing.")
    {
        foreach (var o in new Option[] { _file, _items, _mapping, _preset, _user, _item, _rating, _text, _summary, _time, _userName, _itemTitle, _itemCategory, _ratingMin, _ratingMax, _itemId, _title, _category, _price, _brand, _description })
        {
            Options.Add(o);
        }

        Options.Add(IngestCommand.Strict);
        _preset.AcceptOnlyFromAmong("yelp");
    }

    private static Option<string?> Column(string name, string what) => new(name) { Description = $"Column (CSV header) or key (JSON; a.b for nested) of {what}.", HelpName = "NAME" };

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var file = parseResult.GetValue(_file)!.FullName;
        var itemsFile = parseResult.GetValue(_items)?.FullName;
        var (reviews, items) = Mapping(parseResult);
        if (itemsFile is not null && items is null)
        {
            throw new IngestException(itemsFile, null, "is given with --items but its id column is not: add --item-id-col NAME (or a mapping file / preset).");
        }

        return IngestRun.RunAsync(context, parseResult.GetValue(IngestCommand.Strict),
            (importer, ct) => importer.ImportMappedAsync(file, reviews, itemsFile, items, ct), cancellationToken);
    }

    private (ReviewColumns Reviews, ItemColumns? Items) Mapping(ParseResult p)
    {
        var file = MappingFile.Read(p.GetValue(_mapping)?.FullName);
        var preset = p.GetValue(_preset) == "yelp" ? MappingFile.Yelp : new MappingFile();
        string? Pick(Option<string?> option, string? fromFile, string? fromPreset) => p.GetValue(option) ?? fromFile ?? fromPreset;
        var r = file.Reviews ?? new();
        var pr = preset.Reviews ?? new();
        var i = file.Items ?? new();
        var pi = preset.Items ?? new();

        string Required(Option<string?> option, string? fromFile, string? fromPreset) =>
            Pick(option, fromFile, fromPreset) ?? throw new IngestException(p.GetValue(_file)!.FullName, null, $"needs {option.Name} NAME: which column holds it (or a --mapping file, or --preset yelp).");

        var reviews = new ReviewColumns
        {
            User = Required(_user, r.User, pr.User),
            Item = Required(_item, r.Item, pr.Item),
            Rating = Required(_rating, r.Rating, pr.Rating),
            Text = Pick(_text, r.Text, pr.Text),
            Summary = Pick(_summary, r.Summary, pr.Summary),
            Time = Pick(_time, r.Time, pr.Time),
            UserName = Pick(_userName, r.UserName, pr.UserName),
            ItemTitle = Pick(_itemTitle, r.ItemTitle, pr.ItemTitle),
            ItemCategory = Pick(_itemCategory, r.ItemCategory, pr.ItemCategory),
            RatingMin = p.GetValue(_ratingMin) ?? r.RatingMin ?? pr.RatingMin ?? 1,
            RatingMax = p.GetValue(_ratingMax) ?? r.RatingMax ?? pr.RatingMax ?? 5,
        };
        var id = Pick(_itemId, i.Id, pi.Id);
        var items = id is null ? null : new ItemColumns
        {
            Id = id,
            Title = Pick(_title, i.Title, pi.Title),
            Category = Pick(_category, i.Category, pi.Category),
            Price = Pick(_price, i.Price, pi.Price),
            Brand = Pick(_brand, i.Brand, pi.Brand),
            Description = Pick(_description, i.Description, pi.Description),
        };
        return (reviews, items);
    }

    /// <summary>The <c>--mapping</c> file's shape (all optional; the command line wins).</summary>
    private sealed record MappingFile
    {
        public ReviewPart? Reviews { get; init; }

        public ItemPart? Items { get; init; }

        public static readonly MappingFile Yelp = new()
        {
            Reviews = new() { User = "user_id", Item = "business_id", Rating = "stars", Text = "text", Time = "date" },
            Items = new() { Id = "business_id", Title = "name", Category = "categories" },
        };

        private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true, AllowTrailingCommas = true, ReadCommentHandling = JsonCommentHandling.Skip };

        public static MappingFile Read(string? path)
        {
            if (path is null)
            {
                return new MappingFile();
            }

            try
            {
                return JsonSerializer.Deserialize<MappingFile>(File.ReadAllText(path), Json)
                    ?? new MappingFile();
            }
            catch (JsonException ex)
            {
                throw new IngestException(path, ex.LineNumber + 1, $"is not a valid mapping file: {ex.Message}");
            }
        }
    }

    private sealed record ReviewPart
    {
        public string? User { get; init; }

        public string? Item { get; init; }

        public string? Rating { get; init; }

        public string? Text { get; init; }

        public string? Summary { get; init; }

        public string? Time { get; init; }

        public string? UserName { get; init; }

        public string? ItemTitle { get; init; }

        public string? ItemCategory { get; init; }

        public double? RatingMin { get; init; }

        public double? RatingMax { get; init; }
    }

    private sealed record ItemPart
    {
        public string? Id { get; init; }

        public string? Title { get; init; }

        public string? Category { get; init; }

        public string? Price { get; init; }

        public string? Brand { get; init; }

        public string? Description { get; init; }
    }
}
