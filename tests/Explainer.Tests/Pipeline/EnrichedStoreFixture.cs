using Explainer.Core.Enrichment;
using Explainer.Core.Recommending;
using Explainer.Hosting;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Explainer.Tests.Pipeline;

/// <summary>The real Amazon data ingested, enriched (extractive) and indexed once, shared by the pipeline tests.</summary>
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
        await new Importer(Store).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);
        Enrichment = await Services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, progress: null, CancellationToken.None);
        await Services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);
    }

    public static ServiceProvider BuildServices(string storePath)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddExplainer(ExplainerConfiguration.Build([new("Store:Path", storePath)]));
        return services.BuildServiceProvider();
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
