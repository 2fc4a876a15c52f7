namespace Explainer.Core.Storage;

/// <summary>The stored serving snapshot: which index it is (its key), its size and when <c>explainer index</c> saved it.</summary>
public sealed record ServingSnapshotInfo(string Key, long Bytes, DateTime SavedAt);
