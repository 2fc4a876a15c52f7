using Explainer.Core.Enrichment;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Tests.Pipeline;

/// <summary>The real Amazon data ingested, enriched (extractive) and indexed once, shared by the pipeline tests; the services that built it stay open.</summary>
public sealed class EnrichedStoreFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string StorePath => _dir.File("amazon.db");

    public ServiceProvider Services { get; private set; } = null!;

    public ExplainerStore Store => Services.GetRequiredService<ExplainerStore>();

    public EnrichmentSummary Enrichment { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Services = BuildServices(StorePath);
        Enrichment = await RealStore.FillAsync(Services);
    }

    public static ServiceProvider BuildServices(string storePath) => RealStore.Services(storePath);

    /// <summary>A copy of the store as it is now (the open store's log written into the file first) at <paramref name="path"/>, with its serving snapshot.</summary>
    public string CopyStore(string path)
    {
        Store.Checkpoint();
        File.Copy(StorePath, path);
        File.Copy(Store.SnapshotPath, path + ".serving");
        return path;
    }

    public async Task DisposeAsync()
    {
        await Services.DisposeAsync();
        _dir.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class EnrichedStoreCollection : ICollectionFixture<EnrichedStoreFixture>
{
    public const string Name = "enriched real store";
}
