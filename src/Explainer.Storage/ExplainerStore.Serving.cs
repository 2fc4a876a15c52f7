using System.Text;
using Explainer.Core.Storage;
using LiteDB;

namespace Explainer.Storage;

/// <summary>
/// The serving snapshot lives beside the store as <c>x.db.serving</c>, not inside it: read through LiteDB's file storage
/// 175 MB took a second (chunk documents through the page cache), a plain file a tenth of that. It is tied to the store
/// by the inputs generation, a counter in <c>meta</c> that every ingest and enrichment raises in its own transaction: a
/// snapshot written at another generation is not the store's any more (and a rolled-back import raises nothing). Only
/// the holder of the store's lock touches it; it is replaced by a rename, so a reader never sees half of one, and its
/// own SHA-256 (<see cref="Explainer.Core.Recommending.ServingSnapshot"/>) catches any later damage.
/// </summary>
public sealed partial class ExplainerStore
{
    private const string InputsId = "inputs";
    private const string SnapshotMagic = "explainer-serving-file";

    /// <summary>The snapshot file of this store.</summary>
    public string SnapshotPath => Path + ".serving";

    /// <summary>Raised by every write that changes what serving is built from (ingested rows, item descriptions).</summary>
    internal long InputsGeneration() => _db.GetCollection(Collections.Meta).FindById(InputsId)?["generation"].AsInt64 ?? 0;

    /// <summary>In the caller's transaction: what the snapshot was built from is changing.</summary>
    private void RaiseInputsGeneration() =>
        _db.GetCollection(Collections.Meta).Upsert(new BsonDocument { ["_id"] = InputsId, ["generation"] = InputsGeneration() + 1 });

    public ServingSnapshotInfo? FindServingSnapshot()
    {
        using var file = OpenSnapshotFile(out var info);
        return info;
    }

    public Stream? OpenServingSnapshot() => OpenSnapshotFile(out _);

    /// <summary>The snapshot file positioned after its header when it is whole and of the current generation; else null.</summary>
    private FileStream? OpenSnapshotFile(out ServingSnapshotInfo? info)
    {
        info = null;
        FileStream file;
        try
        {
            file = new FileStream(SnapshotPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // none, or one this process cannot read: either way not one to serve from
        }

        try
        {
            using var reader = new BinaryReader(file, Encoding.UTF8, leaveOpen: true);
            if (reader.ReadString() != SnapshotMagic || reader.ReadInt64() != InputsGeneration())
            {
                file.Dispose();
                return null;
            }

            var key = reader.ReadString();
            var saved = new DateTime(reader.ReadInt64(), DateTimeKind.Utc);
            var length = reader.ReadInt64();
            if (file.Length - file.Position != length)
            {
                file.Dispose();
                return null; // cut off: not a snapshot to read
            }

            info = new ServingSnapshotInfo(key, length, saved);
            return file;
        }
        catch (Exception e) when (e is IOException or FormatException or ArgumentException)
        {
            file.Dispose();
            return null;
        }
    }

    public void SaveServingSnapshot(string key, Action<Stream> write)
    {
        EnsureWritable();
        var generation = InputsGeneration();

        // This process holds the store's lock: a temporary file left beside it is from a writer that was killed.
        foreach (var stale in Directory.EnumerateFiles(System.IO.Path.GetDirectoryName(SnapshotPath)!, System.IO.Path.GetFileName(SnapshotPath) + ".*.tmp"))
        {
            File.Delete(stale);
        }

        var temporary = $"{SnapshotPath}.{Environment.ProcessId}.tmp";
        try
        {
            using (var file = new FileStream(temporary, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 20))
            {
                using var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true);
                writer.Write(SnapshotMagic);
                writer.Write(generation);
                writer.Write(key);
                writer.Write(DateTime.UtcNow.Ticks);
                var lengthAt = file.Position;
                writer.Write(0L);
                writer.Flush();
                var start = file.Position;
                write(file);
                var length = file.Position - start;
                file.Position = lengthAt;
                writer.Write(length);
                writer.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, SnapshotPath, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
