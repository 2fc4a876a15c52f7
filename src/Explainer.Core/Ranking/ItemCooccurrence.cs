namespace Explainer.Core.Ranking;

/// <summary>
/// Item–item cosine on the binary user–item matrix with shrinkage, <c>c_ij / (sqrt(n_i n_j) + shrink)</c>, keeping each
/// item's strongest neighbours: the collaborative signal ("people who reviewed this also reviewed ...").
/// </summary>
public sealed class ItemCooccurrence
{
    private readonly (int Item, float Similarity)[][] _neighbours;

    public ItemCooccurrence(InteractionData data, int neighbours = 100, double shrink = 50)
    {
        var n = data.ItemCount;
        var counts = new Dictionary<int, int>[n];
        for (var i = 0; i < n; i++)
        {
            counts[i] = [];
        }

        foreach (var list in data.ByUser)
        {
            var items = list.Select(x => x.Item).Distinct().ToArray();
            foreach (var a in items)
            {
                foreach (var b in items)
                {
                    if (a != b)
                    {
                        counts[a][b] = counts[a].GetValueOrDefault(b) + 1;
                    }
                }
            }
        }

        var popularity = data.ItemCounts;
        _neighbours = new (int, float)[n][];
        for (var i = 0; i < n; i++)
        {
            _neighbours[i] = [.. counts[i]
                .Select(kv => (kv.Key, (float)(kv.Value / (Math.Sqrt((double)popularity[i] * popularity[kv.Key]) + shrink))))
                .OrderByDescending(x => x.Item2).ThenBy(x => x.Key).Take(neighbours)];
        }
    }

    /// <summary>Adds, for every item, its similarity to each of <paramref name="history"/> (weighted) into <paramref name="scores"/>.</summary>
    public void Accumulate(IEnumerable<(int Item, float Weight)> history, Span<float> scores)
    {
        foreach (var (j, w) in history)
        {
            foreach (var (i, s) in _neighbours[j])
            {
                scores[i] += w * s;
            }
        }
    }
}
