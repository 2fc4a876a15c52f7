using Explainer.Core.Ingest;

namespace Explainer.Ingest.Formats;

internal enum TextFormat
{
    Csv,
    JsonLines,
}

/// <summary>Tells CSV from JSON lines by the first character, whatever the file is called.</summary>
internal static class Sniff
{
    public static TextFormat Format(SourceFile source)
    {
        int first;
        try
        {
            first = source.Reader.Peek();
        }
        catch (InvalidDataException ex)
        {
            throw source.Corrupt(ex, 1);
        }

        return first switch
        {
            -1 => throw new IngestException(source.Path, null, "is empty."),
            '{' => TextFormat.JsonLines,
            '[' => throw new IngestException(source.Path, 1, "is a JSON array; Explainer reads JSON lines (one object per line) or CSV."),
            _ => TextFormat.Csv,
        };
    }
}
