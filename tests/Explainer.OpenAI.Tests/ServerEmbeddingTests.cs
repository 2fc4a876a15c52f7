using Explainer.Core.Recommending;
using Explainer.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.OpenAI.Tests;

/// <summary>Embeddings from llama-server <c>--embedding</c>, directly and as Explainer's encoder (Encoder:Endpoint).</summary>
public sealed class ServerEmbeddingTests(IngestedStore ingested) : IClassFixture<IngestedStore>
{
    [Fact]
    public async Task Vectors_come_in_input_order_across_batches_with_the_model_id_and_dimension_of_the_server()
    {
        await using var server = await LlamaServer.StartAsync(slots: 2, embedding: true);
        using var encoder = OpenAIEndpoint.CreateEmbeddingGenerator(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), BatchSize = 8, MaxConcurrency = 2 });
        var metadata = encoder.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal((LlamaServer.Alias, server.Endpoint), (metadata.DefaultModelId, metadata.ProviderUri));
        Assert.Equal("openai-compatible", metadata.ProviderName);

        // 30 texts in batches of 8, two in flight: each vector is the one its text gets alone.
        var texts = Enumerable.Range(0, 30).Select(i => $"a review about guitar strings number {i}").ToList();
        var all = await encoder.GenerateAsync(texts);
        Assert.Equal(30, all.Count);
        Assert.All(all, e => Assert.Equal(metadata.DefaultModelDimensions, e.Vector.Length));
        foreach (var i in new[] { 0, 9, 17, 29 })
        {
            var alone = (await encoder.GenerateAsync([texts[i]])).Single();
            Assert.Equal(1f, Cosine(alone.Vector.Span, all[i].Vector.Span), 3);
        }

        Assert.True(Cosine(all[0].Vector.Span, all[29].Vector.Span) < 0.9999f, "different texts, different vectors");
    }

    [Fact]
    public async Task A_server_without_embedding_is_a_clear_error_that_says_what_to_turn_on()
    {
        await using var server = await LlamaServer.StartAsync(slots: 1);
        var e = Assert.Throws<OpenAIEndpointException>(() => OpenAIEndpoint.CreateEmbeddingGenerator(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxRetries = 0 }));

        Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("--embedding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Encoder_endpoint_indexes_a_store_under_the_server_model_and_vectors_of_another_encoder_are_refused()
    {
        await using var server = await LlamaServer.StartAsync(slots: 2, embedding: true);
        using var dir = new TempDir();
        var path = SampleStore.Build(ingested.Path, dir.File("sample.db"));
        KeyValuePair<string, string?>[] endpoint = [new("Encoder:Endpoint", server.Endpoint.ToString()), new("Encoder:MaxConcurrency", "2")];

        await using (var services = RealStore.Services(path, endpoint))
        {
            await services.GetRequiredService<Core.Enrichment.EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
            await services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);
            var store = services.GetRequiredService<ExplainerStore>();
            var encoder = services.GetRequiredService<IEmbeddingGenerator<string, Embedding<float>>>();
            var id = IndexService.EncoderId(encoder);
            Assert.StartsWith($"openai-compatible:{LlamaServer.Alias}:", id, StringComparison.Ordinal);
            Assert.All(store.Embeddings(Core.Domain.EmbeddingKind.ItemDescription), e => Assert.Equal(id, e.Encoder));

            // Ranking works on the server's vectors.
            var user = store.ProfileHashes().Keys.Order(StringComparer.Ordinal).First();
            var list = await services.GetRequiredService<RecommendationService>().ForUserAsync(user, 3, 0, CancellationToken.None);
            Assert.NotEmpty(list);
        }

        // The local ONNX encoder on the same store: the server's vectors are not compared with its own.
        await using (var services = RealStore.Services(path))
        {
            var user = services.GetRequiredService<ExplainerStore>().ProfileHashes().Keys.First();
            var e = await Assert.ThrowsAsync<RecommendationException>(() => services.GetRequiredService<RecommendationService>().ForUserAsync(user, 3, 0, CancellationToken.None));
            Assert.Contains($"openai-compatible:{LlamaServer.Alias}", e.Message, StringComparison.Ordinal);
            Assert.Contains("explainer index", e.Message, StringComparison.Ordinal);
        }
    }

    private static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);
}
