namespace Explainer.Evaluation;

/// <summary>
/// Rank and top-k over a score vector in which excluded items hold <see cref="float.NegativeInfinity"/>. Equal scores
/// are ordered by lower item index, in both, so the rank of an item and its place in the top k always agree.
/// </summary>
public static class TopK
{
    /// <summary>1-based rank of <paramref name="target"/>: 1 + items scoring higher + items scoring equal with a lower index.</summary>
    public static int RankOf(ReadOnlySpan<float> scores, int target)
    {
        var t = scores[target];
        var rank = 1;
        for (var j = 0; j < scores.Length; j++)
        {
            var s = scores[j];
            if (s > t || (s == t && j < target))
            {
                rank++;
            }
        }

        return rank;
    }

    /// <summary>The indexes of the <paramref name="k"/> best scores, best first, skipping excluded (−∞) items.</summary>
    public static int[] Select(ReadOnlySpan<float> scores, int k)
    {
        var best = new int[k];
        var bestScores = new float[k];
        var n = 0;
        for (var j = 0; j < scores.Length; j++)
        {
            var s = scores[j];
            if (float.IsNegativeInfinity(s) || (n == k && s <= bestScores[k - 1]))
            {
                continue; // equal to the current k-th: the earlier (lower) index wins
            }

            var pos = n < k ? n++ : k - 1;
            while (pos > 0 && bestScores[pos - 1] < s)
            {
                best[pos] = best[pos - 1];
                bestScores[pos] = bestScores[pos - 1];
                pos--;
            }

            best[pos] = j;
            bestScores[pos] = s;
        }

        return n == k ? best : best[..n];
    }
}
