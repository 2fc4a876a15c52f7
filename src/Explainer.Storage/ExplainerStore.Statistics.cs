using Explainer.Core.Domain;
using LiteDB;

namespace Explainer.Storage;

public sealed partial class ExplainerStore
{
    /// <summary>Counts and distributions for <c>explainer stats</c>; one streaming pass over reviews and items.</summary>
    public StoreStatistics Statistics(int topCategories = 10)
    {
        var perUser = new Dictionary<string, int>(StringComparer.Ordinal);
        var perItem = new Dictionary<string, int>(StringComparer.Ordinal);
        var histogram = new SortedDictionary<double, int>();
        int reviews = 0, withText = 0;

        // Only the fields needed: a projection keeps review text out of memory.
        var docs = _db.GetCollection(Collections.Reviews).Query()
            .Select("{ u: $.UserId, i: $.ItemId, r: $.Rating, t: LENGTH($.Text) }").ToEnumerable();
        foreach (var d in docs)
        {
            reviews++;
            Increment(perUser, d["u"].AsString);
            Increment(perItem, d["i"].AsString);
            var rating = d["r"].AsDouble;
            histogram[rating] = histogram.GetValueOrDefault(rating) + 1;
            if (d["t"].IsNumber && d["t"].AsInt32 > 0)
            {
                withText++;
            }
        }

        var categories = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var item in Items())
        {
            if (item.LeafCategory is { } leaf)
            {
                Increment(categories, leaf);
            }
        }

        var users = _db.GetCollection(Collections.Users).Count();
        var items = _db.GetCollection(Collections.Items).Count();
        var zeroUsers = Enumerable.Repeat(0, Math.Max(0, users - perUser.Count));
        var zeroItems = Enumerable.Repeat(0, Math.Max(0, items - perItem.Count));

        return new StoreStatistics(
            users,
            items,
            reviews,
            withText,
            [.. histogram],
            Quantiles([.. perUser.Values, .. zeroUsers]),
            Quantiles([.. perItem.Values, .. zeroItems]),
            [.. categories.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).Take(topCategories)]);
    }

    private static void Increment(Dictionary<string, int> counts, string key) =>
        counts[key] = counts.GetValueOrDefault(key) + 1;

    internal static CountQuantiles Quantiles(int[] values)
    {
        if (values.Length == 0)
        {
            return new CountQuantiles(0, 0, 0, 0, 0, 0, 0);
        }

        Array.Sort(values);
        return new CountQuantiles(values[0], At(0.25), At(0.5), At(0.75), At(0.9), values[^1], values.Average());

        // Linear interpolation between closest ranks (the "R-7" definition, as numpy and Excel use).
        double At(double q)
        {
            var pos = q * (values.Length - 1);
            var lo = (int)Math.Floor(pos);
            var hi = Math.Min(lo + 1, values.Length - 1);
            return values[lo] + ((pos - lo) * (values[hi] - values[lo]));
        }
    }
}
