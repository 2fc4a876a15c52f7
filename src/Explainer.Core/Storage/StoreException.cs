namespace Explainer.Core.Storage;

/// <summary>The store file cannot be used as asked: missing, foreign, in use, read-only, written by a newer Explainer, or out of disk space.</summary>
public class StoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A write was asked of a store that can only be read (file mode, read-only mount).</summary>
public sealed class StoreReadOnlyException(string message) : StoreException(message);

/// <summary>Not enough free disk space to write safely; nothing was written.</summary>
public sealed class StoreFullException(string message, Exception? inner = null) : StoreException(message, inner);
