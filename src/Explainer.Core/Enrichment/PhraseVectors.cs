using System.Collections.Concurrent;
using Microsoft.Extensions.AI;

namespace Explainer.Core.Enrichment;

/// <summary>Embeddings of short texts (keywords, item texts), computed in batches and cached: keywords repeat across users and items.</summary>
public sealed class PhraseVectors(IEmbeddingGenerator<string, Embedding<float>> encoder)
{
    private const int BatchSize = 512;
    private readonly ConcurrentDictionary<string, float[]> _cache = new(StringComparer.Ordinal);

    public IEmbeddingGenerator<string, Embedding<float>> Encoder => encoder;

    public async Task EnsureAsync(IEnumerable<string> texts, CancellationToken cancellationToken)
    {
        var missing = texts.Where(t => !string.IsNullOrWhiteSpace(t) && !_cache.ContainsKey(t)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var chunk in missing.Chunk(BatchSize))
        {
            var embeddings = await encoder.GenerateAsync(chunk, cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                _cache[chunk[i]] = embeddings[i].Vector.ToArray();
            }
        }
    }

    public float[]? Get(string text) => _cache.GetValueOrDefault(text);

    public async Task<float[]> GetAsync(string text, CancellationToken cancellationToken)
    {
        await EnsureAsync([text], cancellationToken).ConfigureAwait(false);
        return _cache[text];
    }
}
