using Explainer.Core.Domain;
using Explainer.Core.Ingest;
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

    [Fact]
    public void A_cached_profile_never_outlives_a_write_to_it()
    {
        var path = _dir.File("profiles.db");
        InterestProfile Version(int v) => new() { UserId = "u1", Engine = "test", InputHash = "h", Version = v, Keywords = [new Keyword { Text = $"tuner {v}", Weight = 1 }] };
        using (var store = ExplainerStore.Open(path))
        {
            Assert.Null(store.FindProfile("u1"));
            store.SaveProfiles([Version(1)]);
            Assert.Equal(1, store.FindProfile("u1")!.Version);
            Assert.Same(store.FindProfile("u1"), store.FindProfile("u1")); // the second read came from memory

            store.SaveProfiles([Version(2)]);
            Assert.Equal("tuner 2", store.FindProfile("u1")!.Keywords[0].Text);

            var like = new Feedback { Id = "f1", UserId = "u1", ItemId = "i1", Kind = FeedbackKind.Like, Time = DateTimeOffset.UnixEpoch };
            Assert.False(store.SaveFeedback(like, Version(3), expectedProfileVersion: 1)); // stale expectation: nothing written
            Assert.Equal(2, store.FindProfile("u1")!.Version);
            Assert.True(store.SaveFeedback(like, Version(3), expectedProfileVersion: 2));
            Assert.Equal(3, store.FindProfile("u1")!.Version);
        }

        using var reopened = ExplainerStore.Open(path);
        Assert.Equal(3, reopened.FindProfile("u1")!.Version);
    }

    [Fact]
    public void A_schema_2_store_is_migrated_to_vectors_as_float32_bytes_with_the_same_values()
    {
        var path = _dir.File("schema2.db");
        float[] vector = [0.1f, -2.5f, 3.25e-8f, float.Epsilon, 1f / 3];
        using (var store = ExplainerStore.Open(path))
        {
            store.SaveEmbeddings([new EmbeddingRecord { Id = EmbeddingRecord.MakeId(EmbeddingKind.ItemDescription, "i1"), Kind = EmbeddingKind.ItemDescription, OwnerId = "i1", Encoder = "e", Vector = vector, InputHash = "h" }]);
        }

        // What schema 2 wrote: the vector as an array of doubles.
        using (var db = new LiteDatabase($"Filename={path};Collation=/Ordinal"))
        {
            var embeddings = db.GetCollection("embeddings");
            var doc = embeddings.FindById("ItemDescription|i1");
            Assert.True(doc["Vector"].IsBinary);
            doc["Vector"] = new BsonArray(vector.Select(v => new BsonValue((double)v)));
            embeddings.Update(doc);
            db.GetCollection("meta").Update(new BsonDocument { ["_id"] = "schema", ["version"] = 2, ["created"] = DateTime.UtcNow });
        }

        using (var migrated = ExplainerStore.Open(path))
        {
            Assert.Equal(2, migrated.MigratedFrom);
            Assert.DoesNotContain(".bak", ExplainerStore.MigrationSummary(2, path), StringComparison.Ordinal);
            Assert.False(File.Exists($"{path}.schema-2.bak")); // migrated in place
            Assert.Equal(ExplainerStore.SchemaVersion, migrated.FileSchemaVersion);
            Assert.Equal(vector, migrated.FindEmbedding(EmbeddingKind.ItemDescription, "i1")!.Vector);
        }

        using (var db = new LiteDatabase($"Filename={path};Collation=/Ordinal;ReadOnly=true"))
        {
            Assert.True(db.GetCollection("embeddings").FindById("ItemDescription|i1")["Vector"].IsBinary);
        }

        using var reopened = ExplainerStore.Open(path);
        Assert.Null(reopened.MigratedFrom);
        Assert.Equal(vector, reopened.FindEmbedding(EmbeddingKind.ItemDescription, "i1")!.Vector);
    }

    [Fact]
    public void A_schema_1_store_is_copied_to_exact_ids_and_float32_vectors_and_the_old_file_kept()
    {
        var path = _dir.File("schema1.db");
        float[] vector = [0.5f, -1.25f, 1e-7f];
        using (var db = new LiteDatabase($"Filename={path};Collation=/IgnoreCase"))
        {
            db.GetCollection("meta").Insert(new BsonDocument { ["_id"] = "schema", ["version"] = 1, ["created"] = DateTime.UtcNow });
            db.GetCollection("embeddings").Insert(new BsonDocument
            {
                ["_id"] = "ItemDescription|i1", ["Kind"] = "ItemDescription", ["OwnerId"] = "i1", ["Encoder"] = "e", ["InputHash"] = "h",
                ["Vector"] = new BsonArray(vector.Select(v => new BsonValue((double)v))),
            });
        }

        using (var migrated = ExplainerStore.Open(path))
        {
            Assert.Equal(1, migrated.MigratedFrom);
            Assert.Equal(ExplainerStore.SchemaVersion, migrated.FileSchemaVersion);
            Assert.Equal(vector, migrated.FindEmbedding(EmbeddingKind.ItemDescription, "i1")!.Vector);
            Assert.Contains($"{path}.schema-1.bak", ExplainerStore.MigrationSummary(1, path), StringComparison.Ordinal);
        }

        Assert.True(File.Exists($"{path}.schema-1.bak"));
        using var db2 = new LiteDatabase($"Filename={path};Collation=/Ordinal;ReadOnly=true");
        Assert.True(db2.GetCollection("embeddings").FindById("ItemDescription|i1")["Vector"].IsBinary);
    }

    [Fact]
    public void Cached_reviews_of_a_user_never_outlive_an_import()
    {
        using var store = ExplainerStore.Open(_dir.File("reviews.db"));
        Review ReviewOf(string item, int day) => new() { Id = Review.MakeId("u1", item, DateTimeOffset.UnixEpoch.AddDays(day)), UserId = "u1", ItemId = item, Rating = 5, Text = $"about {item}", Time = DateTimeOffset.UnixEpoch.AddDays(day) };
        void Import(params Review[] reviews)
        {
            using var session = store.BeginIngest();
            session.UpsertUser(new User { Id = "u1" });
            foreach (var r in reviews)
            {
                session.EnsureItem(r.ItemId);
                session.UpsertReview(r);
            }

            session.Commit();
        }

        Import(ReviewOf("i1", 1));
        Assert.Single(store.ReviewsByUser("u1"));
        Assert.Same(store.ReviewsByUser("u1"), store.ReviewsByUser("u1")); // the second read came from memory

        Import(ReviewOf("i2", 2), ReviewOf("i3", 0));
        Assert.Equal(["i3", "i1", "i2"], store.ReviewsByUser("u1").Select(r => r.ItemId)); // all three, oldest first

        using (var rolledBack = store.BeginIngest())
        {
            rolledBack.EnsureItem("i4");
            rolledBack.UpsertReview(ReviewOf("i4", 3));
            Assert.Equal(4, store.ReviewsByUser("u1").Count); // this thread reads inside its own transaction
        }

        Assert.Equal(3, store.ReviewsByUser("u1").Count); // rolled back: what was read inside it is forgotten too
    }

    [Fact]
    public void A_cached_description_never_outlives_a_write_to_it()
    {
        using var store = ExplainerStore.Open(_dir.File("descriptions.db"));
        ItemDescription Version(string text) => new() { ItemId = "i1", Text = text, Engine = "test", InputHash = text };
        store.SaveDescriptions([Version("first")]);
        Assert.Equal("first", store.FindDescriptions(["i1", "missing"])["i1"].Text);
        Assert.Same(store.FindDescriptions(["i1"])["i1"], store.FindDescription("i1")); // the second read came from memory

        store.SaveDescriptions([Version("second")]);
        Assert.Equal("second", store.FindDescriptions(["i1"])["i1"].Text);
        Assert.Equal("second", store.FindDescription("i1")!.Text);
        Assert.False(store.FindDescriptions(["missing"]).ContainsKey("missing"));
    }
    [Fact]
    public void Ratings_read_in_pieces_are_the_ratings_and_released_memory_leaves_a_working_store()
    {
        using var store = ExplainerStore.Open(_dir.File("pieces.db"));
        var reviews = Enumerable.Range(0, 25).Select(n => new Review
        {
            Id = Review.MakeId($"u{n % 7}", $"i{n % 5}", DateTimeOffset.UnixEpoch.AddDays(n)),
            UserId = $"u{n % 7}",
            ItemId = $"i{n % 5}",
            Rating = 1 + (n % 5),
            Text = $"review {n}",
            Time = DateTimeOffset.UnixEpoch.AddDays(n),
        }).ToList();
        using (var session = store.BeginIngest())
        {
            foreach (var r in reviews)
            {
                session.UpsertUser(new User { Id = r.UserId });
                session.EnsureItem(r.ItemId);
                session.UpsertReview(r);
            }

            // Swapping the file under an open import would lose it: refused.
            Assert.Throws<InvalidOperationException>(store.ReleaseMemory);
            session.Commit();
        }

        var pieces = new List<ReviewRating>();
        string? after = null;
        for (IReadOnlyList<ReviewRating> piece; (piece = store.ReviewRatingsAfter(after, 4)).Count > 0; after = piece[^1].Id)
        {
            Assert.True(piece.Count <= 4);
            pieces.AddRange(piece);
            store.ReleaseMemory(); // between pieces, as index does
        }

        Assert.Equal(store.ReviewRatings().OrderBy(r => r.Id, StringComparer.Ordinal), pieces);
        Assert.Equal(25, pieces.Select(r => r.Id).Distinct().Count());
        store.SaveDescriptions([new ItemDescription { ItemId = "i1", Text = "after the reopen", Engine = "test", InputHash = "h" }]);
        Assert.Equal("after the reopen", store.FindDescription("i1")!.Text);
        Assert.Equal(25, store.ReviewsOfItems(["i0", "i1", "i2", "i3", "i4"]).Count);
        Assert.Equal(reviews.Where(r => r.UserId is "u1" or "u2").Select(r => r.Id).Order(), store.ReviewsOfUsers(["u1", "u2"]).Select(r => r.Id).Order());
    }
}
