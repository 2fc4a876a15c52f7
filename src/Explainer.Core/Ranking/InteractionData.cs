using Explainer.Core.Domain;

namespace Explainer.Core.Ranking;

/// <summary>One rating or review, with users and items as dense indexes.</summary>
public readonly record struct Interaction(int User, int Item, float Rating, long Time, string ReviewId);

/// <summary>
/// Users, items and their interactions as dense indexes: what collaborative models and the evaluation work on.
/// Immutable; a split (train / validation / test) is made by building a new instance from a subset.
/// </summary>
public sealed class InteractionData
{
    private InteractionData(string[] userIds, string[] itemIds, Interaction[][] byUser)
    {
        UserIds = userIds;
        ItemIds = itemIds;
        ByUser = byUser;
        UserIndex = Index(userIds);
        ItemIndex = Index(itemIds);
        ItemCounts = new int[itemIds.Length];
        foreach (var list in byUser)
        {
            foreach (var x in list)
            {
                ItemCounts[x.Item]++;
            }
        }
    }

    public IReadOnlyList<string> UserIds { get; }

    public IReadOnlyList<string> ItemIds { get; }

    public IReadOnlyDictionary<string, int> UserIndex { get; }

    public IReadOnlyDictionary<string, int> ItemIndex { get; }

    /// <summary>Each user's interactions, oldest first.</summary>
    public IReadOnlyList<Interaction[]> ByUser { get; }

    /// <summary>How many users interacted with each item (its popularity in this data).</summary>
    public int[] ItemCounts { get; }

    public int UserCount => UserIds.Count;

    public int ItemCount => ItemIds.Count;

    /// <summary>Builds from reviews; every item in <paramref name="itemIds"/> exists even with no review (the full catalog).</summary>
    public static InteractionData FromReviews(IEnumerable<Review> reviews, IEnumerable<string> itemIds) =>
        FromRatings(reviews.Select(ReviewRating.Of), itemIds);

    /// <summary>Builds from reviews' ratings; every item in <paramref name="itemIds"/> exists even with no review (the full catalog).</summary>
    public static InteractionData FromRatings(IEnumerable<ReviewRating> reviews, IEnumerable<string> itemIds)
    {
        var items = itemIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var list = reviews.ToList();
        foreach (var id in list.Select(r => r.ItemId).Distinct(StringComparer.Ordinal).Except(items, StringComparer.Ordinal).ToList())
        {
            items.Add(id);
        }

        var users = list.Select(r => r.UserId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var userIndex = Index(users);
        var itemIndex = Index(items);
        var byUser = list
            .GroupBy(r => userIndex[r.UserId])
            .ToDictionary(g => g.Key, g => g.Select(r => new Interaction(g.Key, itemIndex[r.ItemId], (float)r.Rating, r.Time.ToUnixTimeSeconds(), r.Id))
                .OrderBy(x => x.Time).ThenBy(x => x.ReviewId, StringComparer.Ordinal).ToArray());
        return new InteractionData(users, [.. items], [.. Enumerable.Range(0, users.Length).Select(u => byUser.GetValueOrDefault(u, []))]);
    }

    /// <summary>From dense parts written before (a serving snapshot): each user's interactions already oldest first.</summary>
    internal static InteractionData FromParts(string[] userIds, string[] itemIds, Interaction[][] byUser) => new(userIds, itemIds, byUser);

    /// <summary>The same users and items, keeping only the interactions <paramref name="keep"/> accepts.</summary>
    public InteractionData Where(Func<Interaction, bool> keep) =>
        new([.. UserIds], [.. ItemIds], [.. ByUser.Select(list => list.Where(keep).ToArray())]);

    private static Dictionary<string, int> Index(IReadOnlyList<string> ids)
    {
        var index = new Dictionary<string, int>(ids.Count, StringComparer.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            index[ids[i]] = i;
        }

        return index;
    }
}
