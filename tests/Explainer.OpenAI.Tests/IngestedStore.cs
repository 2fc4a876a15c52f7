using Explainer.Ingest;
using Explainer.Storage;

namespace Explainer.OpenAI.Tests;

/// <summary>The real Amazon Musical Instruments data ingested once (not enriched); tests cut small samples from it.</summary>
public sealed class IngestedStore : IAsyncLifetime
{
    private readonly TempDir _dir = new();

    public string Path => _dir.File("amazon.db");

    public async Task InitializeAsync()
    {
        using var store = ExplainerStore.Open(Path, create: true);
        await new Importer(store).ImportAmazonAsync(TestPaths.AmazonReviews, TestPaths.AmazonItems);
    }

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }
}
