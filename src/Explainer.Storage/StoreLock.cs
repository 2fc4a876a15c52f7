using Explainer.Core.Storage;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Explainer.Storage;

/// <summary>Who has a store open: written beside it (<c>x.db.owner</c>) so a second process can say who holds it.</summary>
public sealed record StoreHolder(int Pid, string Command, DateTimeOffset Since, string? Urls = null)
{
    public override string ToString() =>
        $"'{Command}' (pid {Pid.ToString(CultureInfo.InvariantCulture)}, since {Since.ToLocalTime():yyyy-MM-dd HH:mm:ss}{(Urls is null ? "" : ", " + Urls)})";
}

/// <summary>
/// One process per store file, enforced by the OS: <c>x.db.lock</c> is held open with <see cref="FileShare.None"/>
/// (an exclusive <c>flock</c> on Unix, a sharing lock on Windows) for as long as the store is open, and the kernel
/// drops it when the process dies, even by SIGKILL. LiteDB's direct mode assumes one process; a second writer
/// corrupts the file silently, so a second process is refused at once with the holder's name instead.
/// The lock file itself is never deleted (deleting a lock file others may have open lets two processes hold
/// "the" lock); the owner file is informational and rewritten by each holder.
/// </summary>
public sealed class StoreLock : IDisposable
{
    private readonly FileStream _lock;
    private readonly string _ownerPath;
    private bool _disposed;

    private StoreLock(FileStream lockFile, string ownerPath, StoreHolder holder)
    {
        _lock = lockFile;
        _ownerPath = ownerPath;
        Holder = holder;
    }

    /// <summary>What this process calls itself in owner files ("explainer serve"); the CLI sets it per command.</summary>
    public static string ProcessDescription { get; set; } = Process.GetCurrentProcess().ProcessName;

    public StoreHolder Holder { get; private set; }

    public static string LockPath(string storePath) => storePath + ".lock";

    public static string OwnerPath(string storePath) => storePath + ".owner";

    /// <summary>Takes the lock of <paramref name="storePath"/> or throws <see cref="StoreInUseException"/> naming the holder.</summary>
    public static StoreLock Acquire(string storePath)
    {
        var lockPath = LockPath(storePath);
        FileStream stream;
        try
        {
            stream = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException && File.Exists(lockPath))
        {
            throw new StoreInUseException(storePath, ReadHolder(storePath), ex);
        }

        var holder = new StoreHolder(Environment.ProcessId, ProcessDescription, DateTimeOffset.Now);
        var result = new StoreLock(stream, OwnerPath(storePath), holder);
        result.WriteOwner();
        return result;
    }

    /// <summary>Adds where the holder can be reached (the API's address) to the owner file.</summary>
    public void Describe(string urls)
    {
        Holder = Holder with { Urls = urls };
        WriteOwner();
    }

    /// <summary>The holder recorded for <paramref name="storePath"/>, or null when nothing readable is recorded.</summary>
    public static StoreHolder? ReadHolder(string storePath)
    {
        try
        {
            return JsonSerializer.Deserialize<StoreHolder>(File.ReadAllText(OwnerPath(storePath)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private void WriteOwner()
    {
        try
        {
            var temp = _ownerPath + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture);
            File.WriteAllText(temp, JsonSerializer.Serialize(Holder));
            File.Move(temp, _ownerPath, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the message of a refused second process gets poorer; the lock itself holds.
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        try
        {
            if (ReadHolder(_ownerPath[..^".owner".Length])?.Pid == Environment.ProcessId)
            {
                File.Delete(_ownerPath);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        _lock.Dispose();
    }
}

/// <summary>The store is open in another process (or another part of this one).</summary>
public sealed class StoreInUseException(string storePath, StoreHolder? holder, Exception? inner = null)
    : StoreException(Describe(storePath, holder), inner)
{
    public StoreHolder? Holder { get; } = holder;

    private static string Describe(string path, StoreHolder? holder)
    {
        var who = holder is null ? "another process" : holder.ToString();
        var api = holder?.Urls is { } urls ? $" or use its HTTP API at {urls.Split(';')[0]}" : string.Empty;
        return $"the store {path} is in use by {who}; stop it{api}. One process opens a store at a time.";
    }
}
