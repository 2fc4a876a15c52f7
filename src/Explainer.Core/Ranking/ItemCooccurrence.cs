using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Core.Ranking;

/// <summary>
/// The collaborative signal "people who reviewed this also reviewed ...": each item's strongest neighbours under
/// <see cref="ShrunkCosine"/>. Scores flow from a history item to its own neighbours (the item-kNN baseline instead
/// scores a candidate from its neighbours; with top-k truncation the two differ, so only the neighbour lists are shared).
/// </summary>
public sealed class ItemCooccurrence
{
    private readonly BinaryMatrix _matrix;
    private readonly (int Item, float Similarity)[][] _neighbours;

    public ItemCooccurrence(InteractionData data, int neighbours = 100, double shrink = 50)
        : this(new BinaryMatrix(data), neighbours, shrink)
    {
    }

    public ItemCooccurrence(BinaryMatrix matrix, int neighbours = 100, double shrink = 50)
        : this(matrix, ShrunkCosine.Neighbours(matrix, neighbours, shrink))
    {
    }

    /// <summary>Neighbour lists computed before (a serving snapshot): nothing is fitted.</summary>
    internal ItemCooccurrence(BinaryMatrix matrix, (int Item, float Similarity)[][] neighbours)
    {
        _matrix = matrix;
        _neighbours = neighbours;
    }

    internal BinaryMatrix Matrix => _matrix;

    /// <summary>Each item's kept neighbours, strongest first.</summary>
    internal (int Item, float Similarity)[][] Neighbours => _neighbours;

    /// <summary>s(from, to) when <paramref name="to"/> is among <paramref name="from"/>'s kept neighbours, else 0.</summary>
    public float Similarity(int from, int to)
    {
        foreach (var (i, s) in _neighbours[from])
        {
            if (i == to)
            {
                return s;
            }
        }

        return 0;
    }

    /// <summary>How many people reviewed both items, and how many reviewed <paramref name="from"/>.</summary>
    public (int Both, int From) CoReviewers(int from, int to)
    {
        var a = _matrix.UsersOfItem[from];
        var b = _matrix.UsersOfItem[to];
        return (BinaryMatrix.CommonCount(a, b), a.Length);
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
