namespace Explainer.Evaluation;

/// <summary>
/// The metrics of one ranked list or of a set of them. Ranks are 1-based positions of the held-out item in the full
/// ranking of the candidate items (everything the user has not interacted with in the data the model was fit on).
/// </summary>
public static class RankingMetrics
{
    /// <summary>1 when the held-out item is in the top <paramref name="k"/>, else 0.</summary>
    public static double HitRate(int rank, int k) => rank >= 1 && rank <= k ? 1 : 0;

    /// <summary>With one relevant item the ideal DCG is 1, so NDCG@k = 1/log2(rank + 1) inside the top k, else 0.</summary>
    public static double Ndcg(int rank, int k) => rank >= 1 && rank <= k ? 1 / Math.Log2(rank + 1) : 0;

    /// <summary>Reciprocal rank over the full ranking (no cut-off).</summary>
    public static double ReciprocalRank(int rank) => rank >= 1 ? 1.0 / rank : 0;

    /// <summary>Share of the catalog that appears in at least one list.</summary>
    public static double Coverage(IEnumerable<IReadOnlyList<int>> lists, int catalogSize)
    {
        if (catalogSize <= 0)
        {
            return 0;
        }

        var seen = new HashSet<int>();
        foreach (var list in lists)
        {
            seen.UnionWith(list);
        }

        return (double)seen.Count / catalogSize;
    }

    /// <summary>Mean over all pairs of the list of 1 − similarity(i, j); 0 for a list with fewer than two items.</summary>
    public static double IntraListDiversity(IReadOnlyList<int> list, Func<int, int, float> similarity)
    {
        if (list.Count < 2)
        {
            return 0;
        }

        double sum = 0;
        var pairs = 0;
        for (var a = 0; a < list.Count; a++)
        {
            for (var b = a + 1; b < list.Count; b++)
            {
                sum += 1 - similarity(list[a], list[b]);
                pairs++;
            }
        }

        return sum / pairs;
    }

    /// <summary>
    /// The popularity head: the smallest set of most popular items (by <paramref name="itemCounts"/>, ties by lower index)
    /// whose interactions make up at least <paramref name="headShare"/> (20%) of all interactions. Every other item,
    /// including items never interacted with, is long tail.
    /// </summary>
    public static bool[] PopularityHead(IReadOnlyList<int> itemCounts, double headShare = 0.2)
    {
        var head = new bool[itemCounts.Count];
        long total = 0;
        foreach (var c in itemCounts)
        {
            total += c;
        }

        if (total == 0)
        {
            return head;
        }

        var order = Enumerable.Range(0, itemCounts.Count).OrderByDescending(i => itemCounts[i]).ThenBy(i => i);
        long covered = 0;
        foreach (var i in order)
        {
            if (covered >= headShare * total)
            {
                break;
            }

            head[i] = true;
            covered += itemCounts[i];
        }

        return head;
    }

    /// <summary>Share of the list's items that are not in the popularity head.</summary>
    public static double LongTailShare(IReadOnlyList<int> list, IReadOnlyList<bool> head) =>
        list.Count == 0 ? 0 : (double)list.Count(i => !head[i]) / list.Count;

    /// <summary>
    /// Mean self-information −log2 p(i) of the list's items, with p(i) = count(i) / users (the share of users who
    /// interacted with the item in the data the model was fit on). An item nobody interacted with counts as one
    /// interaction, so that its novelty is finite (the maximum, log2 users).
    /// </summary>
    public static double Novelty(IReadOnlyList<int> list, IReadOnlyList<int> itemCounts, int users)
    {
        if (list.Count == 0 || users <= 0)
        {
            return 0;
        }

        double sum = 0;
        foreach (var i in list)
        {
            sum -= Math.Log2((double)Math.Max(itemCounts[i], 1) / users);
        }

        return sum / list.Count;
    }
}
