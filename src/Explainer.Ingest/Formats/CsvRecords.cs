using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

/// <summary>A CSV record with the line it starts on.</summary>
internal readonly record struct CsvRecord(long Line, string[] Fields, string? BadData);

/// <summary>Streams RFC 4180 records (quoted fields, embedded newlines) with CsvHelper's parser, tracking line numbers.</summary>
internal static class CsvRecords
{
    public static IEnumerable<CsvRecord> Read(SourceFile source)
    {
        string? badData = null;
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            HasHeaderRecord = false,
            BadDataFound = args => badData ??= args.RawRecord,
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
            IgnoreBlankLines = true,
        };

        using var parser = new CsvParser(source.Reader, config, leaveOpen: true);
        long previousRawRow = 0;
        while (true)
        {
            bool more;
            try
            {
                more = parser.Read();
            }
            catch (InvalidDataException ex)
            {
                throw source.Corrupt(ex, previousRawRow + 1);
            }
            catch (CsvHelperException ex) when (ex.InnerException is InvalidDataException inner)
            {
                throw source.Corrupt(inner, previousRawRow + 1);
            }

            if (!more)
            {
                break;
            }

            var record = parser.Record ?? [];
            var line = previousRawRow + 1;
            previousRawRow = parser.RawRow;
            yield return new CsvRecord(line, record, badData);
            badData = null;
        }

        source.VerifyComplete();
    }

    /// <summary>Maps header names to column indexes and fails the file when a required one is missing.</summary>
    public static Dictionary<string, int> Columns(SourceFile source, CsvRecord header, string formatName, params string[] required)
    {
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Fields.Length; i++)
        {
            columns.TryAdd(header.Fields[i].Trim(), i);
        }

        var missing = required.Where(r => !columns.ContainsKey(r)).ToList();
        if (missing.Count > 0)
        {
            var found = string.Join(", ", header.Fields.Take(12).Select(f => Printable(f, 30)));
            throw new IngestException(source.Path, header.Line,
                $"does not look like {formatName}: the header lacks {string.Join(", ", missing)} (found: {found}).");
        }

        return columns;
    }

    /// <summary>Text safe to show in a message: control characters replaced, length capped.</summary>
    public static string Printable(string s, int max)
    {
        var chars = s.Take(max).Select(c => char.IsControl(c) || c == '\uFFFD' ? '?' : c).ToArray();
        return new string(chars) + (s.Length > max ? "…" : string.Empty);
    }
}
