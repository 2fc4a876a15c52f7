using Explainer.Storage;

namespace Explainer.Testing;

/// <summary>A small store holding a few real items, all their reviews and reviewers, copied from the ingested real data (for the slow LLM paths).</summary>
internal static class SampleStore
{
    /// <summary>Items reviewed by A2IBPI20UZIR0U: a pop filter, a guitar stand, a polishing cloth and a set of strings (29 reviews).</summary>
    public static readonly string[] Items = ["1384719342", "B0018TC3I4", "B001OLZYUU", "B0002PBS6S"];

    public static string Build(string from, string path, IReadOnlyCollection<string>? items = null)
    {
        items ??= Items;
        using var source = ExplainerStore.Open(from, create: false);
        using var target = ExplainerStore.Open(path, create: true);
        using var session = target.BeginIngest();
        var reviews = source.Reviews().Where(r => items.Contains(r.ItemId)).ToList();
        foreach (var item in source.Items().Where(i => items.Contains(i.Id)))
        {
            session.UpsertItem(item);
        }

        foreach (var user in reviews.Select(r => r.UserId).Distinct())
        {
            session.UpsertUser(source.FindUser(user)!);
        }

        foreach (var review in reviews)
        {
            session.UpsertReview(review);
        }

        session.Commit();
        return path;
    }
}
