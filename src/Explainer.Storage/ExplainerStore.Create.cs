using Explainer.Core.Storage;
namespace Explainer.Storage;

public sealed partial class ExplainerStore
{
    /// <summary>
    /// Creates a store at <paramref name="path"/> (which must not exist) only if <paramref name="fill"/> succeeds and
    /// writes something: the store is built in a hidden file beside it and renamed into place at the end, so a failed,
    /// cancelled or empty first import leaves no store file behind. Returns what <paramref name="fill"/> returned and
    /// whether the store was created. The final path's lock is held throughout, so two first imports cannot race.
    /// </summary>
    public static async Task<(T Result, bool Created)> CreateAsync<T>(string path, Func<ExplainerStore, Task<T>> fill, Func<T, bool> wroteSomething)
    {
        var full = System.IO.Path.GetFullPath(path);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        using var finalLock = StoreLock.Acquire(full);
        if (File.Exists(full))
        {
            throw new StoreException($"{full} appeared while a new store was being prepared; run the command again to import into it.");
        }

        foreach (var stale in StaleTempFiles(full))
        {
            TryDelete(stale); // left by a killed first import: nobody holds the lock, so nobody is writing them
        }

        var temp = TempPath(full);
        var created = false;
        try
        {
            T result;
            using (var store = OpenLocked(temp, storeLock: null, readOnly: false))
            {
                result = await fill(store).ConfigureAwait(false);
                if (!wroteSomething(result))
                {
                    return (result, false);
                }

                store.EnsureWritable(new FileInfo(temp).Length);
                store.Checkpoint();
            }

            File.Move(temp, full, overwrite: false);
            created = true;
            return (result, true);
        }
        finally
        {
            if (!created)
            {
                TryDelete(temp);
            }

            TryDelete(DiskSpace.LogPath(temp));
        }
    }

    private static string TempPath(string full) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $".{System.IO.Path.GetFileName(full)}.new-{Environment.ProcessId}.db");

    private static IEnumerable<string> StaleTempFiles(string full)
    {
        var dir = System.IO.Path.GetDirectoryName(full)!;
        return Directory.EnumerateFiles(dir, $".{System.IO.Path.GetFileName(full)}.new-*").ToList();
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }
    }
}
