using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Explainer.Core.Domain;

namespace Explainer.Core.Storage;

/// <summary>How many records of one kind a store holds and a hash of their content.</summary>
public sealed record CollectionChecksum(string Name, long Count, string Sha256);

/// <summary>
/// A content checksum per kind of record, computed from the domain records (sorted by id, serialised as JSON with
/// object keys sorted), so it is the same for the same data in any store provider: what tests compare before and
/// after a fault, and what <c>migrate</c> compares between providers.
/// </summary>
public static class StoreChecksum
{
    public static IReadOnlyList<CollectionChecksum> Compute(IRecommenderStore store) =>
    [
        Of("users", store.Users(), u => u.Id),
        Of("items", store.Items(), i => i.Id),
        Of("reviews", store.Reviews(), r => r.Id),
        Of("profiles", store.Profiles(), p => p.UserId),
        Of("descriptions", store.Descriptions(), d => d.ItemId),
        Of("feedback", store.Feedback(), f => f.Id),
        Of("embeddings", Enum.GetValues<EmbeddingKind>().SelectMany(store.Embeddings), e => e.Id),
        Of("explanations", store.Explanations(), e => e.Id),
        Of("prompts", store.PromptVersions(), p => p.Id),
        Of("promptRuns", store.PromptRuns(), r => r.Id),
        Of("promptHistory", store.PromptHistory(), p => p.Id),
    ];

    private static CollectionChecksum Of<T>(string name, IEnumerable<T> records, Func<T, string> id)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long count = 0;
        foreach (var record in records.OrderBy(id, StringComparer.Ordinal))
        {
            var node = JsonSerializer.SerializeToNode(record, Options);
            sha.AppendData(JsonSerializer.SerializeToUtf8Bytes(Canonical(node)));
            sha.AppendData("\n"u8);
            count++;
        }

        return new CollectionChecksum(name, count, Convert.ToHexStringLower(sha.GetHashAndReset()));
    }

    private static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        null => null,
        _ => node.DeepClone(),
    };

    private static readonly JsonSerializerOptions Options = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };
}
