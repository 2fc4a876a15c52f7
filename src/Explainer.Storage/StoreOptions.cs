namespace Explainer.Storage;

/// <summary>Where the store lives. <c>--db</c> beats <c>EXPLAINER_DB</c> beats <c>Store:Path</c> in configuration.</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    public string Path { get; set; } = "explainer.db";
}
