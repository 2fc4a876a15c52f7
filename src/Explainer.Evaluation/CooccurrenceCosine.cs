using Explainer.Core.Ranking;

namespace Explainer.Evaluation;

/// <summary>
/// Cosine between two items' columns of the binary user–item matrix: |U_i ∩ U_j| / √(|U_i|·|U_j|), 0 when either item
/// has no users. The default item similarity of the intra-list diversity metric. Thread-safe (read-only after build).
/// </summary>
public sealed class CooccurrenceCosine
{
    private readonly int[][] _usersOfItem;

    public CooccurrenceCosine(InteractionData data)
    {
        var lists = new List<int>[data.ItemCount];
        for (var i = 0; i < lists.Length; i++)
        {
            lists[i] = [];
        }

        for (var u = 0; u < data.UserCount; u++)
        {
            foreach (var x in data.ByUser[u])
            {
                var l = lists[x.Item];
                if (l.Count == 0 || l[^1] != u)
                {
                    l.Add(u); // users are visited in increasing order, so each list is sorted and distinct
                }
            }
        }

        _usersOfItem = [.. lists.Select(l => l.ToArray())];
    }

    public float Similarity(int i, int j)
    {
        var a = _usersOfItem[i];
        var b = _usersOfItem[j];
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        int x = 0, y = 0, common = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                common++;
                x++;
                y++;
            }
            else if (a[x] < b[y])
            {
                x++;
            }
            else
            {
                y++;
            }
        }

        return (float)(common / Math.Sqrt((double)a.Length * b.Length));
    }
}
