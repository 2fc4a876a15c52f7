using System.Globalization;
using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>
/// Which column (CSV header name) or key (JSON lines; <c>a.b</c> reaches into an object) holds each field of a review,
/// so any review dump imports with one command instead of one importer per site. Yelp's review file, for example:
/// user <c>user_id</c>, item <c>business_id</c>, rating <c>stars</c>, text <c>text</c>, time <c>date</c>.
/// </summary>
public sealed record ReviewColumns
{
    public required string User { get; init; }

    public required string Item { get; init; }

    public required string Rating { get; init; }

    public string? Text { get; init; }

    public string? Summary { get; init; }

    /// <summary>Unix seconds or milliseconds, or a date/time such as <c>2016-03-09 18:22:11</c> (UTC unless it says otherwise).</summary>
    public string? Time { get; init; }

    public string? UserName { get; init; }

    /// <summary>An item title given on each review row (stores the item when no metadata file is imported).</summary>
    public string? ItemTitle { get; init; }

    public string? ItemCategory { get; init; }

    public double RatingMin { get; init; } = 1;

    public double RatingMax { get; init; } = 5;

    public IEnumerable<(string Field, string Column)> Named() =>
        new (string, string?)[] { ("user", User), ("item", Item), ("rating", Rating), ("text", Text), ("summary", Summary), ("time", Time), ("user-name", UserName), ("item-title", ItemTitle), ("item-category", ItemCategory) }
            .Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!));
}

/// <summary>Which column or key holds each field of an item (e.g. Yelp's business file: id <c>business_id</c>, title <c>name</c>, category <c>categories</c>).</summary>
public sealed record ItemColumns
{
    public required string Id { get; init; }

    public string? Title { get; init; }

    /// <summary>A category, a list of them, or a comma-separated string (root first, leaf last).</summary>
    public string? Category { get; init; }

    public string? Price { get; init; }

    public string? Brand { get; init; }

    public string? Description { get; init; }

    public IEnumerable<(string Field, string Column)> Named() =>
        new (string, string?)[] { ("id", Id), ("title", Title), ("category", Category), ("price", Price), ("brand", Brand), ("description", Description) }
            .Where(x => x.Item2 is not null).Select(x => (x.Item1, x.Item2!));
}

/// <summary>A review read through a column mapping, with the extra fields the row gave.</summary>
public sealed record MappedReview(Review Review, string? UserName, string? ItemTitle, IReadOnlyList<string> ItemCategories);

/// <summary>Reads CSV (with a header row) or JSON lines through a <see cref="ReviewColumns"/> or <see cref="ItemColumns"/> mapping.</summary>
public static class Mapped
{
    public static IEnumerable<Row<MappedReview>> Reviews(SourceFile source, ReviewColumns columns) =>
        Rows(source, columns.Named().ToList(), required: 3, (line, field) => ParseReview(source, line, field, columns));

    public static IEnumerable<Row<Item>> Items(SourceFile source, ItemColumns columns) =>
        Rows(source, columns.Named().ToList(), required: 1, (line, field) => ParseItem(source, line, field, columns));

    /// <summary>Rows through the mapping; the first <paramref name="required"/> mapped columns must exist in the file (the others may be absent from a row).</summary>
    private static IEnumerable<Row<T>> Rows<T>(SourceFile source, List<(string Field, string Column)> named, int required, Func<long, Func<string, string?>, Row<T>> parse)
        where T : class
    {
        if (Sniff.Format(source) == TextFormat.JsonLines)
        {
            var first = true;
            foreach (var (line, obj, error) in JsonLines.Read(source))
            {
                if (error is not null || obj is not { } o)
                {
                    yield return Row<T>.Bad(new RowProblem(source.Path, line, "(json)", error ?? "empty"));
                    continue;
                }

                if (first)
                {
                    var missing = named.Take(required).Where(n => !Present(o, n.Column)).Select(n => $"'{n.Column}' (--{n.Field}-col)").ToList();
                    if (missing.Count > 0)
                    {
                        throw new IngestException(source.Path, line, $"has no key {string.Join(", ", missing)} in its first object (keys: {string.Join(", ", o.EnumerateObject().Take(15).Select(p => p.Name))}).");
                    }

                    first = false;
                }

                yield return parse(line, column => Lookup(o, column));
            }

            yield break;
        }

        Dictionary<string, int>? header = null;
        foreach (var record in CsvRecords.Read(source))
        {
            if (header is null)
            {
                header = CsvRecords.Columns(source, record, "a CSV with the mapped columns", [.. named.Select(n => n.Column)]);
                continue;
            }

            if (record.Fields.Length != header.Count)
            {
                yield return Row<T>.Bad(new RowProblem(source.Path, record.Line, "(row)", $"has {record.Fields.Length} fields, the header has {header.Count}" + (record.BadData is null ? string.Empty : " (unbalanced quotes?)")));
                continue;
            }

            var fields = record.Fields;
            var columns = header;
            yield return parse(record.Line, column => columns.TryGetValue(column, out var i) ? fields[i] : null);
        }
    }

    private static Row<MappedReview> ParseReview(SourceFile source, long line, Func<string, string?> field, ReviewColumns c)
    {
        try
        {
            var user = Fields.RequiredId(c.User, field(c.User));
            var item = Fields.RequiredId(c.Item, field(c.Item));
            var rating = Fields.Rating(c.Rating, field(c.Rating), c.RatingMin, c.RatingMax);

            // Without a time column every review counts as equally recent; the id still tells reviews apart.
            var time = c.Time is null ? DateTimeOffset.UnixEpoch : Time(c.Time, field(c.Time));
            var review = new Review
            {
                Id = Review.MakeId(user, item, time),
                UserId = user,
                ItemId = item,
                Rating = rating,
                Summary = c.Summary is null ? null : Fields.Text(field(c.Summary)),
                Text = c.Text is null ? null : Fields.Text(field(c.Text)),
                Time = time,
            };
            return Row<MappedReview>.Ok(line, new MappedReview(
                review,
                c.UserName is null ? null : Fields.Text(field(c.UserName)),
                c.ItemTitle is null ? null : Fields.Text(field(c.ItemTitle)),
                c.ItemCategory is null ? [] : Categories(field(c.ItemCategory))));
        }
        catch (FieldException ex)
        {
            return Row<MappedReview>.Bad(new RowProblem(source.Path, line, ex.Field, ex.Message));
        }
    }

    private static Row<Item> ParseItem(SourceFile source, long line, Func<string, string?> field, ItemColumns c)
    {
        try
        {
            return Row<Item>.Ok(line, new Item
            {
                Id = Fields.RequiredId(c.Id, field(c.Id)),
                Title = c.Title is null ? null : Fields.Text(field(c.Title)),
                Categories = c.Category is null ? [] : Categories(field(c.Category)),
                Price = c.Price is null ? null : Fields.Price(field(c.Price)),
                Brand = c.Brand is null ? null : Fields.Text(field(c.Brand)),
                Description = c.Description is null ? null : Fields.Text(field(c.Description)),
            });
        }
        catch (FieldException ex)
        {
            return Row<Item>.Bad(new RowProblem(source.Path, line, ex.Field, ex.Message));
        }
    }

    /// <summary>A time as Unix seconds (or milliseconds: more than 11 digits), or an ISO-like date/time read as UTC.</summary>
    public static DateTimeOffset Time(string field, string? value)
    {
        var v = value?.Trim();
        if (string.IsNullOrEmpty(v))
        {
            throw new FieldException(field, "is empty");
        }

        if (long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n))
        {
            return Fields.UnixTime(field, (Math.Abs(n) >= 100_000_000_000 ? n / 1000 : n).ToString(CultureInfo.InvariantCulture));
        }

        if (DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            return Fields.UnixTime(field, t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        }

        throw new FieldException(field, $"'{CsvRecords.Printable(v, 40)}' is neither a Unix time nor a date");
    }

    /// <summary>A JSON list or a comma-separated string of categories (root first).</summary>
    private static List<string> Categories(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return [];
        }

        var v = value.Trim();
        if (v.StartsWith('['))
        {
            try
            {
                return [.. JsonSerializer.Deserialize<List<string>>(v)!.Select(Fields.Text).OfType<string>()];
            }
            catch (JsonException)
            {
                // not a list after all: a category that starts with a bracket
            }
        }

        return [.. v.Split(',').Select(Fields.Text).OfType<string>()];
    }

    private static bool Present(JsonElement o, string path) => Find(o, path) is not null;

    private static JsonElement? Find(JsonElement o, string path)
    {
        var current = o;
        foreach (var part in path.Split('.'))
        {
            if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(part, out current))
            {
                return null;
            }
        }

        return current;
    }

    private static string? Lookup(JsonElement o, string path) => Find(o, path) is not { } v ? null : v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        JsonValueKind.Array => v.GetRawText(),
        _ => null,
    };
}
