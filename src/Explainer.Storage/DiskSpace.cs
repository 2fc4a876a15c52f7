using Explainer.Core.Storage;
namespace Explainer.Storage;

/// <summary>
/// Refuses a write before it starts when the disk is (nearly) full. LiteDB 5 does not survive running out of space:
/// its background writer swallows the error, later commits report success and are lost, and a checkpoint waits
/// forever (seen: a hung `explainer feedback` after a failed ingest). Failing here keeps the store as it was.
/// </summary>
internal static class DiskSpace
{
    /// <summary>Always left free by default: room for LiteDB's log, its checkpoint into the data file and the owner file.</summary>
    public const long DefaultReserveBytes = 16L << 20;

    public static void Ensure(string storePath, long needed = 0, long reserve = DefaultReserveBytes)
    {
        var free = Free(storePath);
        var log = LogSize(storePath);

        // A checkpoint copies the log into the data file, which may grow by as much.
        var wanted = reserve + needed + log;
        if (free is { } f && f < wanted)
        {
            throw new StoreFullException(
                $"not enough disk space to write {storePath} safely: {Mb(f)} free, at least {Mb(wanted)} needed. Free some space and try again; nothing was written.");
        }
    }

    public static long? Free(string storePath)
    {
        try
        {
            var dir = Path.GetDirectoryName(Path.GetFullPath(storePath))!;
            return new DriveInfo(dir).AvailableFreeSpace;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null; // unknown: let the write try
        }
    }

    /// <summary>LiteDB's write-ahead log beside the data file (<c>x-log.db</c> for <c>x.db</c>).</summary>
    public static string LogPath(string storePath) =>
        Path.Combine(Path.GetDirectoryName(storePath)!, Path.GetFileNameWithoutExtension(storePath) + "-log" + Path.GetExtension(storePath));

    private static long LogSize(string storePath)
    {
        var log = new FileInfo(LogPath(storePath));
        return log.Exists ? log.Length : 0;
    }

    private static string Mb(long bytes) => $"{bytes / (1024.0 * 1024.0):0.#} MB";
}
