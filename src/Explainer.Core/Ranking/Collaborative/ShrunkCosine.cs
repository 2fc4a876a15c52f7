namespace Explainer.Core.Ranking.Collaborative;

/// <summary>
/// Item–item cosine on the binary user–item matrix with shrinkage, s(i, j) = |U_i ∩ U_j| / (√(|U_i|·|U_j|) + shrink):
/// the one definition behind the hybrid ranker's neighbour part, the item-kNN baseline and the diversity metric.
/// </summary>
public static class ShrunkCosine
{
    /// <summary>
    /// s(i, j) from the overlap and the two items' user counts. Computed in double and rounded once, so mathematically
    /// equal similarities (common without shrinkage, e.g. 1/√(3n) and 3/√(27n)) stay equal and fall to the index tie-break.
    /// </summary>
    public static float Of(int common, int usersOfI, int usersOfJ, double shrink) =>
        (float)(common / (Math.Sqrt((double)usersOfI * usersOfJ) + shrink));

    /// <summary>
    /// For every item j, its <paramref name="neighbours"/> most similar other items i with s(i, j) (only items that share
    /// a user), strongest first, ties by lower index so results do not depend on thread scheduling.
    /// </summary>
    public static (int Item, float Similarity)[][] Neighbours(BinaryMatrix m, int neighbours, double shrink, CancellationToken cancellationToken = default)
    {
        var n = m.Items;
        var kept = new (int Item, float Similarity)[n][];
        var options = new ParallelOptions { CancellationToken = cancellationToken };

        // One dense overlap row per thread, reset after each item through the list of entries it touched.
        Parallel.For(0, n, options, () => new int[n], (j, _, common) =>
        {
            var touched = new List<int>();
            foreach (var u in m.UsersOfItem[j])
            {
                foreach (var i in m.ItemsOfUser[u])
                {
                    if (common[i]++ == 0)
                    {
                        touched.Add(i);
                    }
                }
            }

            var candidates = new List<(int Item, float Similarity)>(touched.Count);
            foreach (var i in touched)
            {
                if (i != j)
                {
                    candidates.Add((i, Of(common[i], m.UsersOfItem[i].Length, m.UsersOfItem[j].Length, shrink)));
                }

                common[i] = 0;
            }

            candidates.Sort((a, b) => a.Similarity != b.Similarity ? b.Similarity.CompareTo(a.Similarity) : a.Item.CompareTo(b.Item));
            kept[j] = [.. candidates.Take(neighbours)];
            return common;
        }, _ => { });

        return kept;
    }
}
