namespace Explainer.Storage;

/// <summary>Where the store lives. <c>--db</c> beats <c>EXPLAINER_DB</c> beats <c>Store:Path</c> in configuration.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    public string Path { get; set; } = "explainer.db";

    /// <summary>Free disk space (MB) that every write leaves untouched; a write that would eat into it is refused first.</summary>
    public int ReserveMegabytes { get; set; } = (int)(DiskSpace.DefaultReserveBytes >> 20);
}
