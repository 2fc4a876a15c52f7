using Explainer.Core.Domain;
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

        mapper.Entity<Item>().Ignore(x => x.LeafCategory);
        mapper.Entity<InterestProfile>().Id(x => x.UserId, autoId: false);
        mapper.Entity<ItemDescription>().Id(x => x.ItemId, autoId: false);
        return mapper;
    }
}
