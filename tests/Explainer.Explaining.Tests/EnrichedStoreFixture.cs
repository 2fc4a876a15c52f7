using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Explaining.Tests;

/// <summary>The real Amazon data ingested, enriched (extractive) and indexed once; each test opens its own services on a copy when it writes.</summary>
public sealed class EnrichedStoreFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string StorePath => _dir.File("amazon.db");

    public Task InitializeAsync() => RealStore.BuildAsync(StorePath);

    /// <summary>A private copy of the enriched store (so tests that write do not see each other).</summary>
    public string CopyStore()
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".db");
        File.Copy(StorePath, path);
        return path;
    }

    public static ServiceProvider BuildServices(string storePath, IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? configure = null) =>
        RealStore.Services(storePath, settings, configure);

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class EnrichedStoreCollection : ICollectionFixture<EnrichedStoreFixture>
{
    public const string Name = "enriched real store";
}
