using Explainer.Core.Ranking.Collaborative;

namespace Explainer.Core.Ranking;

/// <summary>
/// The collaborative signal "people who reviewed this also reviewed ...": each item's strongest neighbours under
/// <see cref="ShrunkCosine"/>. Scores flow from a history item to its own neighbours (the item-kNN baseline instead
/// scores a candidate from its neighbours; with top-k truncation the two differ, so only the neighbour lists are shared).
/// </summary>
public sealed class ItemCooccurrence(InteractionData data, int neighbours = 100, double shrink = 50)
{
    private readonly (int Item, float Similarity)[][] _neighbours = ShrunkCosine.Neighbours(new BinaryMatrix(data), neighbours, shrink);

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
