using Explainer.Core.Enrichment;
using Explainer.Core.Recommending;
using Explainer.Hosting;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Explainer.Testing;

/// <summary>
/// The real Amazon data (../shared/data/amazon-musical-instruments reviews.csv and items.csv) ingested, enriched (users
/// and items) and indexed into a store, through the services <c>AddExplainer</c> registers, as the CLI does it. With no
/// LLM configured (Llm:ModelPath) the enrichment is extractive. The fixtures of the test projects decide how long the
/// services stay open and who gets a copy of the file.
/// </summary>
internal static class RealStore
{
    /// <summary>Builds the store at <paramref name="path"/> with services opened for the build and disposed after it.</summary>
    public static async Task<EnrichmentSummary> BuildAsync(string path, IEnumerable<KeyValuePair<string, string?>>? settings = null, CancellationToken cancellationToken = default)
    {
        await using var services = Services(path, settings);
        return await FillAsync(services, cancellationToken);
    }

    /// <summary>Ingests, enriches and indexes the real data into the store of <paramref name="services"/> (left open).</summary>
    public static async Task<EnrichmentSummary> FillAsync(IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await new Importer(services.GetRequiredService<ExplainerStore>()).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems, cancellationToken);
        var enrichment = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, progress: null, cancellationToken);
        await services.GetRequiredService<IndexService>().BuildAsync(null, cancellationToken);
        await services.GetRequiredService<RecommendationService>().SaveSnapshotAsync(cancellationToken); // as `explainer index` does
        return enrichment;
    }

    /// <summary>
    /// Explainer's services over the store at <paramref name="storePath"/> and the repository's prompts/
    /// (configuration as the CLI builds it; <paramref name="settings"/> win). <paramref name="configure"/> runs before
    /// <c>AddExplainer</c>, so what it registers (a test double) wins over the <c>TryAdd</c> registrations.
    /// </summary>
    public static ServiceProvider Services(string storePath, IEnumerable<KeyValuePair<string, string?>>? settings = null, Action<IServiceCollection>? configure = null)
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
}
