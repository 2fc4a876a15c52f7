namespace Explainer.Storage;

/// <summary>The store file cannot be used: missing, not a LiteDB file, or written by a newer Explainer.</summary>
public sealed class StoreException(string message, Exception? inner = null) : Exception(message, inner);
