using System.Text.Json;
using Explainer.Core.Domain;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>
/// Amazon item metadata: CSV (<c>Product ID, Description, price, Category</c>, where Description is the title and
/// Category the leaf), or JSON lines (<c>asin, title, brand, price, categories | category, description, feature</c>).
/// </summary>
public static class AmazonItems
{
    private const string CsvFormatName = "Amazon item metadata (Product ID, Description, price, Category)";
    private const string JsonFormatName = "Amazon item metadata (asin, title, ...)";

    public static IEnumerable<Row<Item>> Read(SourceFile source) =>
        Sniff.Format(source) == TextFormat.JsonLines ? ReadJson(source) : ReadCsv(source);

    private static IEnumerable<Row<Item>> ReadCsv(SourceFile source)
    {
        Dictionary<string, int>? columns = null;
        foreach (var record in CsvRecords.Read(source))
        {
            if (columns is null)
            {
                columns = CsvRecords.Columns(source, record, CsvFormatName, "Product ID", "Description");
                continue;
            }

            yield return ParseCsv(source, record, columns);
        }
    }

    private static Row<Item> ParseCsv(SourceFile source, CsvRecord record, Dictionary<string, int> columns)
    {
        string? F(string name) => columns.TryGetValue(name, out var i) && i < record.Fields.Length ? record.Fields[i] : null;
        try
        {
            if (record.Fields.Length != columns.Count)
            {
                throw new FieldException("(row)", $"has {record.Fields.Length} fields, the header has {columns.Count}");
            }

            var category = Fields.Text(F("Category"));
            return Row<Item>.Ok(record.Line, new Item
            {
                Id = Fields.RequiredId("Product ID", F("Product ID")),
                Title = Fields.Text(F("Description")) ?? throw new FieldException("Description", "is empty"),
                Price = Fields.Price(F("price")),
                Categories = category is null ? [] : [category],
            });
        }
        catch (FieldException ex)
        {
            return Row<Item>.Bad(new RowProblem(source.Path, record.Line, ex.Field, ex.Message));
        }
    }

    private static IEnumerable<Row<Item>> ReadJson(SourceFile source)
    {
        var first = true;
        foreach (var (line, obj, error) in JsonLines.Read(source))
        {
            if (error is not null || obj is not { } o)
            {
                yield return Row<Item>.Bad(new RowProblem(source.Path, line, "(json)", error ?? "empty"));
                continue;
            }

            if (first && !o.TryGetProperty("asin", out _))
            {
                throw new IngestException(source.Path, line, $"does not look like {JsonFormatName}: the first object has no 'asin'.");
            }

            first = false;
            yield return ParseJson(source, line, o);
        }
    }

    private static Row<Item> ParseJson(SourceFile source, long line, JsonElement o)
    {
        try
        {
            var features = JsonLines.Strings(o, "feature").Select(Fields.Text).OfType<string>().ToList();
            var attributes = new Dictionary<string, IReadOnlyList<string>>();
            if (features.Count > 0)
            {
                attributes["feature"] = features;
            }

            return Row<Item>.Ok(line, new Item
            {
                Id = Fields.RequiredId("asin", JsonLines.String(o, "asin")),
                Title = Fields.Text(JsonLines.String(o, "title")),
                Brand = Fields.Text(JsonLines.String(o, "brand")),
                Price = Fields.Price(JsonLines.String(o, "price")),
                Description = Fields.Text(string.Join(" ", JsonLines.Strings(o, "description"))),
                Categories = CategoryPath(o),
                Attributes = attributes,
            });
        }
        catch (FieldException ex)
        {
            return Row<Item>.Bad(new RowProblem(source.Path, line, ex.Field, ex.Message));
        }
    }

    /// <summary>2018: <c>category: [root, ..., leaf]</c>; 2014: <c>categories: [[root, ..., leaf], ...]</c> (the first path is used).</summary>
    private static IReadOnlyList<string> CategoryPath(JsonElement o)
    {
        if (o.TryGetProperty("category", out var c) && c.ValueKind == JsonValueKind.Array)
        {
            return [.. JsonLines.Strings(o, "category").Select(Fields.Text).OfType<string>()];
        }

        if (o.TryGetProperty("categories", out var cs) && cs.ValueKind == JsonValueKind.Array)
        {
            foreach (var path in cs.EnumerateArray())
            {
                if (path.ValueKind == JsonValueKind.Array)
                {
                    return [.. path.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => Fields.Text(e.GetString())).OfType<string>()];
                }
            }
        }

        return [];
    }
}
