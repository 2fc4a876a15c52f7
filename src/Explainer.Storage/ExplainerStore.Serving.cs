using Explainer.Core.Storage;
using LiteDB;

namespace Explainer.Storage;

public sealed partial class ExplainerStore
{
    private const string SnapshotId = "serving";

    /// <summary>LiteDB's file storage (255 KB chunks) in collections of its own, beside the documents it is derived from.</summary>
    private ILiteStorage<string> Snapshots => _db.GetStorage<string>(Collections.SnapshotFiles, Collections.SnapshotChunks);

    public ServingSnapshotInfo? FindServingSnapshot() =>
        Snapshots.FindById(SnapshotId) is { } file && file.Metadata.TryGetValue("key", out var key)
            ? new ServingSnapshotInfo(key.AsString, file.Length, file.UploadDate.ToUniversalTime())
            : null;

    public Stream? OpenServingSnapshot() => Snapshots.Exists(SnapshotId) ? Snapshots.OpenRead(SnapshotId) : null;

    public void SaveServingSnapshot(string key, Action<Stream> write) => InTransaction(() =>
    {
        Snapshots.Delete(SnapshotId);
        using var stream = Snapshots.OpenWrite(SnapshotId, "serving-snapshot.bin", new BsonDocument { ["key"] = key });
        using (var buffered = new BufferedStream(stream, 1 << 20))
        {
            write(buffered);
        }
    });

    /// <summary>In the caller's transaction: the snapshot's inputs are changing, so it is no longer true.</summary>
    private void DeleteServingSnapshot()
    {
        if (Snapshots.Exists(SnapshotId))
        {
            Snapshots.Delete(SnapshotId);
        }
    }
}
