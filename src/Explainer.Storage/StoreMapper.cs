using Explainer.Core.Domain;
using System.Runtime.InteropServices;
using LiteDB;

namespace Explainer.Storage;

/// <summary>The one place that says how domain records map to LiteDB documents.</summary>
internal static class StoreMapper
{
    public static BsonMapper Create()
    {
        var mapper = new BsonMapper { EnumAsInteger = false, SerializeNullValues = false };

        // LiteDB cannot build an IReadOnlyDictionary of lists by itself.
        mapper.RegisterType<IReadOnlyDictionary<string, IReadOnlyList<string>>>(
            serialize: d => new BsonDocument(d.ToDictionary(
                kv => kv.Key,
                kv => (BsonValue)new BsonArray(kv.Value.Select(v => new BsonValue(v))))),
            deserialize: b => b.AsDocument.ToDictionary(
                kv => kv.Key,
                kv => (IReadOnlyList<string>)[.. kv.Value.AsArray.Select(v => v.AsString)]));

        mapper.RegisterType<IReadOnlyDictionary<string, string>>(
            serialize: d => new BsonDocument(d.ToDictionary(kv => kv.Key, kv => new BsonValue(kv.Value))),
            deserialize: b => b.AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsString, StringComparer.Ordinal));
        mapper.RegisterType<IReadOnlyDictionary<string, int>>(
            serialize: d => new BsonDocument(d.ToDictionary(kv => kv.Key, kv => new BsonValue(kv.Value))),
            deserialize: b => b.AsDocument.ToDictionary(kv => kv.Key, kv => kv.Value.AsInt32, StringComparer.Ordinal));

        // Vectors as raw float32 bytes (schema 3): a 256-d vector is 1 KB instead of 2.3 KB of tagged doubles, and reading
        // it is a copy, not 256 number conversions. Arrays of doubles (schema 2 and before) are still read.
        mapper.RegisterType<float[]>(
            serialize: VectorBytes,
            deserialize: b => b.IsBinary ? MemoryMarshal.Cast<byte, float>(b.AsBinary).ToArray() : [.. b.AsArray.Select(x => (float)x.AsDouble)]);

        mapper.Entity<Item>().Ignore(x => x.LeafCategory);
        mapper.Entity<InterestProfile>().Id(x => x.UserId, autoId: false);
        mapper.Entity<ItemDescription>().Id(x => x.ItemId, autoId: false);
        return mapper;
    }

    /// <summary>A vector as little-endian float32 bytes (every platform .NET runs Explainer on is little-endian).</summary>
    public static BsonValue VectorBytes(float[] vector) => new(MemoryMarshal.AsBytes(vector.AsSpan()).ToArray());
}
