using Explainer.Core.Enrichment;
using Explainer.Core.Recommending;
using Explainer.Hosting;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Explainer.Explaining.Tests;

/// <summary>The real Amazon data ingested, enriched (extractive) and indexed once; each test opens its own services on a copy when it writes.</summary>
public sealed class EnrichedStoreFixture : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string StorePath => _dir.File("amazon.db");

    public async Task InitializeAsync()
    {
        await using var services = BuildServices(StorePath);
        await new Importer(services.GetRequiredService<ExplainerStore>()).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);
        await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, progress: null, CancellationToken.None);
        await services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);
    }

    /// <summary>A private copy of the enriched store (so tests that write do not see each other).</summary>
    public string CopyStore()
    {
        var path = _dir.File(Guid.NewGuid().ToString("N") + ".db");
        File.Copy(StorePath, path);
        return path;
    }

    public static ServiceProvider BuildServices(string storePath, IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        configure?.Invoke(services);
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase) { ["Store:Path"] = storePath, ["Explain:PromptsPath"] = TestPaths.Prompts };
        foreach (var (key, value) in settings ?? [])
        {
            values[key] = value;
        }

        services.AddExplainer(ExplainerConfiguration.Build(values));
        return services.BuildServiceProvider();
    }

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
