using System.Globalization;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Explainer.Core.Text;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>A tag a MovieLens user put on a movie; it becomes an item attribute.</summary>
public sealed record MovieTag(string UserId, string ItemId, string Tag);

/// <summary>
/// MovieLens CSVs (<c>ratings.csv</c>, <c>movies.csv</c>, <c>tags.csv</c>), with or without a header row: a first row
/// whose id column is not a number is a header. Ratings have no text; genres and tags become item attributes.
/// </summary>
public static partial class MovieLens
{
    private static readonly string[] RatingColumns = ["userId", "movieId", "rating", "timestamp"];
    private static readonly string[] MovieColumns = ["movieId", "title", "genres"];
    private static readonly string[] TagColumns = ["userId", "movieId", "tag", "timestamp"];

    public static IEnumerable<Row<Review>> Ratings(SourceFile source) =>
        Read(source, "MovieLens ratings (userId, movieId, rating, timestamp)", RatingColumns, (line, f) =>
        {
            var user = Id("userId", f[0]);
            var item = Id("movieId", f[1]);
            var time = Fields.UnixTime("timestamp", f[3]);
            return new Review
            {
                Id = Review.MakeId(user, item, time),
                UserId = user,
                ItemId = item,
                Rating = Fields.Rating("rating", f[2], 0.5, 5),
                Time = time,
            };
        });

    public static IEnumerable<Row<Item>> Movies(SourceFile source) =>
        Read(source, "MovieLens movies (movieId, title, genres)", MovieColumns, (line, f) =>
        {
            var genres = f[2] == "(no genres listed)"
                ? []
                : f[2].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            // MovieLens writes "Bourne Identity, The (2002)"; the store keeps the title as it is said.
            var title = Titles.Uninvert(Fields.Text(f[1]) ?? throw new FieldException("title", "is empty"));
            var attributes = new Dictionary<string, IReadOnlyList<string>> { ["genre"] = genres };
            if (YearPattern().Match(title) is { Success: true } year)
            {
                attributes["year"] = [year.Groups[1].Value];
            }

            return new Item { Id = Id("movieId", f[0]), Title = title, Categories = genres, Attributes = attributes };
        });

    public static IEnumerable<Row<MovieTag>> Tags(SourceFile source) =>
        Read(source, "MovieLens tags (userId, movieId, tag, timestamp)", TagColumns, (line, f) =>
            new MovieTag(Id("userId", f[0]), Id("movieId", f[1]), Fields.Text(f[2]) ?? throw new FieldException("tag", "is empty")));

    private static IEnumerable<Row<T>> Read<T>(SourceFile source, string formatName, string[] columns, Func<long, string[], T> parse)
        where T : class
    {
        var first = true;
        int[]? order = null;
        foreach (var record in CsvRecords.Read(source))
        {
            if (first)
            {
                first = false;
                if (!long.TryParse(record.Fields.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
                {
                    var map = CsvRecords.Columns(source, record, formatName, columns);
                    order = [.. columns.Select(c => map[c])];
                    continue;
                }

                if (record.Fields.Length < columns.Length)
                {
                    throw new IngestException(source.Path, record.Line,
                        $"does not look like {formatName}: the first row has {record.Fields.Length} fields, expected {columns.Length}.");
                }
            }

            yield return ParseRow(source, record, columns, order, parse);
        }
    }

    private static Row<T> ParseRow<T>(SourceFile source, CsvRecord record, string[] columns, int[]? order, Func<long, string[], T> parse)
        where T : class
    {
        try
        {
            if (record.Fields.Length < columns.Length)
            {
                throw new FieldException("(row)", $"has {record.Fields.Length} fields, expected {columns.Length}");
            }

            var fields = order is null ? record.Fields : [.. order.Select(i => record.Fields[i])];
            return Row<T>.Ok(record.Line, parse(record.Line, fields));
        }
        catch (FieldException ex)
        {
            return Row<T>.Bad(new RowProblem(source.Path, record.Line, ex.Field, ex.Message));
        }
    }

    private static string Id(string field, string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _)
            ? value.Trim()
            : throw new FieldException(field, $"'{CsvRecords.Printable(value, 30)}' is not a numeric id");

    [GeneratedRegex(@"\((\d{4})\)\s*$")]
    private static partial Regex YearPattern();
}
