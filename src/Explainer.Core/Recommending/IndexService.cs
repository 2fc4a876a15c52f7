using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Core.Storage;
using Microsoft.Extensions.AI;

namespace Explainer.Core.Recommending;

/// <summary>What <c>explainer index</c> did.</summary>
public sealed record IndexSummary(string Encoder, int ItemsEmbedded, int ItemsUnchanged, int ProfilesEmbedded, int ProfilesUnchanged);

/// <summary>Embeds item descriptions and user profiles and stores the vectors (skipping those whose input did not change).</summary>
public sealed class IndexService(IRecommenderStore store, PhraseVectors vectors)
{
    private const int BatchSize = 256;

    /// <summary>Names the encoder so vectors of different encoders are never mixed.</summary>
    public static string EncoderId(IEmbeddingGenerator<string, Embedding<float>> encoder)
    {
        var meta = encoder.GetService<EmbeddingGeneratorMetadata>();
        return $"{meta?.ProviderName ?? "encoder"}:{meta?.DefaultModelId ?? "default"}:{meta?.DefaultModelDimensions?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}";
    }

    /// <summary>
    /// Streams both kinds in batches: what is held at once is one batch of descriptions or profiles, plus the item rows,
    /// the user ids and every owner's input hash (small), so memory does not grow with the descriptions and profiles.
    /// </summary>
    public async Task<IndexSummary> BuildAsync(IProgress<EnrichmentProgress>? progress, CancellationToken cancellationToken)
    {
        var encoder = EncoderId(vectors.Encoder);
        var existing = store.EmbeddingHashes(EmbeddingKind.ItemDescription);
        var items = store.Items().OrderBy(i => i.Id, StringComparer.Ordinal).ToList();
        var itemsDone = 0;
        var itemsSame = 0;
        foreach (var batch in items.Chunk(BatchSize))
        {
            var descriptions = store.FindDescriptions([.. batch.Select(i => i.Id)]);
            var todo = batch
                .Select(i => (Item: i, Text: ItemText.For(i, descriptions.TryGetValue(i.Id, out var d) ? d.Keywords : [])))
                .Select(x => (x.Item, x.Text, Hash: InputHash.Of([encoder, x.Text])))
                .Where(x => existing.GetValueOrDefault(x.Item.Id) != x.Hash)
                .ToList();
            itemsSame += batch.Length - todo.Count;
            if (todo.Count > 0)
            {
                await vectors.EnsureAsync(todo.Select(b => b.Text), cancellationToken).ConfigureAwait(false);
                store.SaveEmbeddings([.. todo.Select(b => new EmbeddingRecord
                {
                    Id = EmbeddingRecord.MakeId(EmbeddingKind.ItemDescription, b.Item.Id),
                    Kind = EmbeddingKind.ItemDescription,
                    OwnerId = b.Item.Id,
                    Encoder = encoder,
                    Vector = vectors.Get(b.Text)!,
                    InputHash = b.Hash,
                })]);
                itemsDone += todo.Count;
            }

            progress?.Report(new EnrichmentProgress("items", itemsDone + itemsSame, items.Count));
        }

        var profilesDone = 0;
        var profilesSame = 0;
        var existingProfiles = store.EmbeddingHashes(EmbeddingKind.UserProfile);
        var users = store.Users().Select(u => u.Id).ToList();
        var seen = 0;
        foreach (var batch in users.Chunk(BatchSize))
        {
            var records = new List<EmbeddingRecord>();
            foreach (var p in batch.Select(store.FindProfile).OfType<InterestProfile>())
            {
                var hash = InputHash.Of([encoder, p.InputHash, p.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
                if (existingProfiles.GetValueOrDefault(p.UserId) == hash)
                {
                    profilesSame++;
                    continue;
                }

                await vectors.EnsureAsync(p.Keywords.Select(k => k.Text), cancellationToken).ConfigureAwait(false);
                if (ItemText.ProfileVector(p.Keywords, vectors.Get) is { } v)
                {
                    records.Add(new EmbeddingRecord
                    {
                        Id = EmbeddingRecord.MakeId(EmbeddingKind.UserProfile, p.UserId),
                        Kind = EmbeddingKind.UserProfile,
                        OwnerId = p.UserId,
                        Encoder = encoder,
                        Vector = v,
                        InputHash = hash,
                    });
                }
            }

            store.SaveEmbeddings(records);
            profilesDone += records.Count;
            seen += batch.Length;
            progress?.Report(new EnrichmentProgress("profiles", seen, users.Count));
        }

        // Servers compare this stamp and reload; unchanged vectors keep it, so nothing reloads for nothing.
        if (itemsDone > 0 || profilesDone > 0 || string.IsNullOrEmpty(store.IndexStamp()))
        {
            store.SaveIndexStamp(Guid.NewGuid().ToString("N"));
        }

        return new IndexSummary(encoder, itemsDone, itemsSame, profilesDone, profilesSame);
    }
}
