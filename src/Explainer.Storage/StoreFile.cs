using System.Text;

namespace Explainer.Storage;

/// <summary>
/// What a path holds, judged from its first bytes before LiteDB is allowed near it: LiteDB "repairs" a file it
/// does not recognise by overwriting it, so a mistyped <c>--db README.md</c> must be refused here, untouched.
/// </summary>
internal static class StoreFile
{
    private const int PageSize = 8192;
    private const int HeaderInfoAt = 32;
    private const int FileVersionAt = 59;
    private const byte FileVersion = 8;
    private static readonly byte[] HeaderInfo = Encoding.ASCII.GetBytes("** This is a LiteDB file **");

    /// <summary>Null when <paramref name="path"/> is a LiteDB 5 data file; otherwise why it is not one.</summary>
    public static string? WhyNotLiteDb(string path)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (file.Length == 0)
        {
            return "it is an empty file";
        }

        if (file.Length < PageSize)
        {
            return $"it is {file.Length:N0} bytes, shorter than a LiteDB page";
        }

        var header = new byte[FileVersionAt + 1];
        file.ReadExactly(header);
        if (!header.AsSpan(HeaderInfoAt, HeaderInfo.Length).SequenceEqual(HeaderInfo))
        {
            return "it does not start with a LiteDB header" + (LooksLikeText(header) ? " (it looks like a text file)" : string.Empty);
        }

        return header[FileVersionAt] == FileVersion ? null : $"it is a LiteDB file of format version {header[FileVersionAt]}, not {FileVersion} (LiteDB 5)";
    }

    private static bool LooksLikeText(byte[] bytes) => bytes.All(b => b is >= 0x20 and < 0x7f or (byte)'\n' or (byte)'\r' or (byte)'\t' || b >= 0x80);
}
