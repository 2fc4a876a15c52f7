using Explainer.Core.Storage;
using Explainer.Storage;
using LiteDB;

namespace Explainer.Tests.Storage;

public sealed class StoreTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_new_store_records_its_schema_version()
    {
        using var store = ExplainerStore.Open(_dir.File("new.db"));
        Assert.Equal(ExplainerStore.SchemaVersion, store.FileSchemaVersion);
    }

    [Fact]
    public void A_store_from_a_newer_Explainer_is_refused_with_a_clear_message()
    {
        var path = _dir.File("future.db");
        ExplainerStore.Open(path).Dispose();
        using (var db = new LiteDatabase(path))
        {
            db.GetCollection("meta").Update(new BsonDocument { ["_id"] = "schema", ["version"] = ExplainerStore.SchemaVersion + 1 });
        }

        var ex = Assert.Throws<StoreException>(() => ExplainerStore.Open(path));
        Assert.Contains("newer Explainer", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"schema {ExplainerStore.SchemaVersion + 1}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_foreign_and_corrupt_files_are_refused()
    {
        Assert.Contains("No store at", Assert.Throws<StoreException>(() => ExplainerStore.Open(_dir.File("none.db"), create: false)).Message, StringComparison.Ordinal);

        var foreign = _dir.File("foreign.db");
        using (var db = new LiteDatabase(foreign))
        {
            db.GetCollection("orders").Insert(new BsonDocument { ["_id"] = 1 });
        }

        Assert.Contains("not an Explainer store", Assert.Throws<StoreException>(() => ExplainerStore.Open(foreign)).Message, StringComparison.Ordinal);

        var garbage = _dir.Write("garbage.db", new string('x', 20_000));
        Assert.Throws<StoreException>(() => ExplainerStore.Open(garbage));
    }

    [Fact]
    public void Quantiles_interpolate_between_ranks()
    {
        var q = ExplainerStore.Quantiles([5, 1, 3, 2, 4]);
        Assert.Equal((1, 2.0, 3.0, 4.0, 4.6, 5), (q.Min, q.P25, q.Median, q.P75, Math.Round(q.P90, 6), q.Max));
        Assert.Equal(3.0, q.Mean);
    }
}
