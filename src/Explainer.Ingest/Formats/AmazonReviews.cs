using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>A review and the reviewer's display name as the source gives it.</summary>
public sealed record AmazonReview(Review Review, string? ReviewerName);

/// <summary>
/// Amazon review dumps: CSV with the 2014 columns, or JSON lines in the 2014 layout
/// (<c>helpful: [a, b]</c>) or the 2018 one (<c>vote: "1,234"</c>, plus style/verified/image, ignored).
/// </summary>
public static class AmazonReviews
{
    private const string FormatName = "Amazon reviews (reviewerID, asin, overall, unixReviewTime, ...)";
    private static readonly string[] Required = ["reviewerID", "asin", "overall", "unixReviewTime"];

    public static IEnumerable<Row<AmazonReview>> Read(SourceFile source) =>
        Sniff.Format(source) == TextFormat.JsonLines ? ReadJson(source) : ReadCsv(source);

    private static IEnumerable<Row<AmazonReview>> ReadCsv(SourceFile source)
    {
        Dictionary<string, int>? columns = null;
        foreach (var record in CsvRecords.Read(source))
        {
            if (columns is null)
            {
                columns = CsvRecords.Columns(source, record, FormatName, Required);
                continue;
            }

            yield return Parse(source, record.Line, record.BadData, name =>
                columns.TryGetValue(name, out var i) && i < record.Fields.Length ? record.Fields[i] : null,
                record.Fields.Length, columns.Count);
        }
    }

    private static IEnumerable<Row<AmazonReview>> ReadJson(SourceFile source)
    {
        var first = true;
        foreach (var (line, obj, error) in JsonLines.Read(source))
        {
            if (error is not null || obj is not { } o)
            {
                yield return Row<AmazonReview>.Bad(new RowProblem(source.Path, line, "(json)", error ?? "empty"));
                continue;
            }

            // The first object decides the format, as a CSV header does: reviewerID and overall set reviews apart from metadata.
            if (first && (!o.TryGetProperty("reviewerID", out _) || !o.TryGetProperty("overall", out _)))
            {
                throw new IngestException(source.Path, line, $"does not look like {FormatName}: the first object has no 'reviewerID' or no 'overall'.");
            }

            first = false;
            yield return Parse(source, line, null, name => name == "helpful" ? HelpfulText(o) : JsonLines.String(o, name), null, null);
        }
    }

    private static string? HelpfulText(JsonElement o) =>
        o.TryGetProperty("helpful", out var h) && h.ValueKind == JsonValueKind.Array ? h.GetRawText() : JsonLines.String(o, "helpful");

    private static Row<AmazonReview> Parse(SourceFile source, long line, string? badData, Func<string, string?> field, int? fieldCount, int? expectedCount)
    {
        try
        {
            if (fieldCount is { } n && expectedCount is { } e && n != e)
            {
                throw new FieldException("(row)", $"has {n} fields, the header has {e}" + (badData is null ? string.Empty : " (unbalanced quotes?)"));
            }

            var user = Fields.RequiredId("reviewerID", field("reviewerID"));
            var item = Fields.RequiredId("asin", field("asin"));
            var rating = Fields.Rating("overall", field("overall"), 1, 5); // Amazon stars are 1-5: a 0 is a misread or missing rating
            var time = Fields.UnixTime("unixReviewTime", field("unixReviewTime"));
            int helpful = 0;
            int? total = null;
            if (field("vote") is { Length: > 0 } vote)
            {
                helpful = Fields.Votes("vote", vote);
            }
            else if (field("helpful") is { Length: > 0 } h)
            {
                (helpful, var t) = Fields.Helpful("helpful", h);
                total = t;
            }

            var review = new Review
            {
                Id = Review.MakeId(user, item, time),
                UserId = user,
                ItemId = item,
                Rating = rating,
                Summary = Fields.Text(field("summary")),
                Text = Fields.Text(field("reviewText")),
                Time = time,
                HelpfulVotes = helpful,
                TotalVotes = total,
            };
            return Row<AmazonReview>.Ok(line, new AmazonReview(review, Fields.Text(field("reviewerName"))));
        }
        catch (FieldException ex)
        {
            return Row<AmazonReview>.Bad(new RowProblem(source.Path, line, ex.Field, ex.Message));
        }
    }
}
