using Explainer.Core.Ranking;
using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Evaluation;

/// <summary>
/// Cosine between two items' columns of the binary user–item matrix (<see cref="ShrunkCosine"/> without shrinkage or
/// truncation: any pair, on demand), 0 when either item has no users. The default item similarity of the intra-list
/// diversity metric. Thread-safe (read-only after build).
/// </summary>
public sealed class CooccurrenceCosine
{
    private readonly int[][] _usersOfItem;

    public CooccurrenceCosine(InteractionData data) => _usersOfItem = new BinaryMatrix(data).UsersOfItem;

    public float Similarity(int i, int j)
    {
        var a = _usersOfItem[i];
        var b = _usersOfItem[j];
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }

        var common = BinaryMatrix.CommonCount(a, b);
        return ShrunkCosine.Of(common, a.Length, b.Length, shrink: 0);
    }
}
