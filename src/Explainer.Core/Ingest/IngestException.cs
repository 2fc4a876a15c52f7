namespace Explainer.Core.Ingest;

/// <summary>
/// A file that cannot be imported at all (unknown format, missing columns, truncated gzip, unreadable).
/// The import that raised it is rolled back; the message names the file and, when known, the line.
/// </summary>
public sealed class IngestException : Exception
{
    public IngestException(string file, long? line, string message, Exception? inner = null)
        : base(Format(file, line, message), inner)
    {
        File = file;
        Line = line;
    }

    public string File { get; }

    public long? Line { get; }

    private static string Format(string file, long? line, string message) =>
        line is null ? $"{file}: {message}" : $"{file}:{line}: {message}";
}
