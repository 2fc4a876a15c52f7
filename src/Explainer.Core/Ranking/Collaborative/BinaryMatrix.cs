using Explainer.Core.Ranking;

namespace Explainer.Core.Ranking.Collaborative;

/// <summary>The binary user–item matrix of some interaction data, as sorted distinct index lists in both directions.</summary>
public sealed class BinaryMatrix
{
    public BinaryMatrix(InteractionData data)
        : this(data.ItemCount, [.. data.ByUser.Select(l => l.Select(x => x.Item).Distinct().Order().ToArray())])
    {
    }

    /// <summary>From each user's ascending distinct item indexes (what <see cref="ItemsOfUser"/> holds).</summary>
    public BinaryMatrix(int items, int[][] itemsOfUser)
    {
        Users = itemsOfUser.Length;
        Items = items;
        ItemsOfUser = itemsOfUser;
        var counts = new int[Items];
        foreach (var list in ItemsOfUser)
        {
            foreach (var i in list)
            {
                counts[i]++;
            }
        }

        UsersOfItem = [.. counts.Select(c => new int[c])];
        Array.Clear(counts);
        for (var u = 0; u < Users; u++)
        {
            foreach (var i in ItemsOfUser[u])
            {
                UsersOfItem[i][counts[i]++] = u;
            }
        }
    }

    public int Users { get; }

    public int Items { get; }

    public int[][] ItemsOfUser { get; }

    public int[][] UsersOfItem { get; }

    /// <summary>How many ids two ascending id lists share (a merge walk: both lists are sorted).</summary>
    public static int CommonCount(int[] a, int[] b)
    {
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

        return common;
    }
}
