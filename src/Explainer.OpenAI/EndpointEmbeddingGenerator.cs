using Microsoft.Extensions.AI;

namespace Explainer.OpenAI;

/// <summary>
/// <c>/embeddings</c> of an OpenAI-compatible server: batches of <see cref="OpenAIEndpointOptions.BatchSize"/> texts,
/// at most <see cref="OpenAIEndpointOptions.MaxConcurrency"/> in flight, and metadata naming the server's model and
/// its dimension so the index never mixes these vectors with another encoder's.
/// </summary>
internal sealed class EndpointEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> inner, Uri endpoint, string model, int dimension, int batchSize, int maxConcurrency, int maxInputChars, IDisposable? owned)
    : DelegatingEmbeddingGenerator<string, Embedding<float>>(inner)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly EmbeddingGeneratorMetadata _metadata = new("openai-compatible", endpoint, model, dimension);

    public override async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var texts = values.Select(Cut).ToList();
        var parts = new GeneratedEmbeddings<Embedding<float>>[(texts.Count + batchSize - 1) / batchSize];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, parts.Length),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (i, token) => parts[i] = await OneBatchAsync(texts.Skip(i * batchSize).Take(batchSize).ToList(), options, token).ConfigureAwait(false)).ConfigureAwait(false);

        var result = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var part in parts)
        {
            result.AddRange(part);
            if (part.Usage is { } usage)
            {
                result.Usage ??= new UsageDetails();
                result.Usage.Add(usage);
            }
        }

        return result;
    }

    /// <summary>A text cut to <c>maxInputChars</c> at a word boundary (what a local encoder's max sequence length does).</summary>
    private string Cut(string text)
    {
        if (text.Length <= maxInputChars)
        {
            return text;
        }

        var space = text.LastIndexOf(' ', maxInputChars - 1);
        return text[..(space > maxInputChars / 2 ? space : maxInputChars)];
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata : base.GetService(serviceType, serviceKey);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
            owned?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> OneBatchAsync(List<string> texts, EmbeddingGenerationOptions? options, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var embeddings = await base.GenerateAsync(texts, options, cancellationToken).ConfigureAwait(false);
            if (embeddings.Count != texts.Count || embeddings.Any(e => e.Vector.Length != dimension))
            {
                throw new OpenAIEndpointException(
                    $"The endpoint {endpoint} returned {embeddings.Count} embeddings of {string.Join('/', embeddings.Select(e => e.Vector.Length).Distinct())} dimensions for {texts.Count} texts; expected {texts.Count} of {dimension} (model '{model}').",
                    endpoint);
            }

            return embeddings;
        }
        catch (Exception e) when (EndpointErrors.Translate(e, endpoint, model, cancellationToken) is { } clear)
        {
            throw clear;
        }
        finally
        {
            _slots.Release();
        }
    }
}
