using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Ranking;

namespace Explainer.Evaluation.Baselines;

/// <summary>
/// Item-based k-nearest neighbours on the binary user–item matrix with <see cref="ShrunkCosine"/> similarity: for every
/// target item j only its <c>neighbours</c> most similar items are kept (the top-k of each column of the similarity
/// matrix), and a user's score for j is the sum of s(i, j) over the items i the user has among those neighbours.
/// </summary>
public sealed class ItemKnnModel(int neighbours, float shrink) : IRecommenderModel
{
    private BinaryMatrix? _matrix;

    // For each item i: the targets j that keep i as a neighbour, and s(i, j).
    private int[][] _targets = [];
    private float[][] _weights = [];

    public string Name => "Item-kNN";

    public Task FitAsync(InteractionData train, CancellationToken cancellationToken)
    {
        var m = new BinaryMatrix(train);
        var n = m.Items;
        var kept = ShrunkCosine.Neighbours(m, neighbours, shrink, cancellationToken);

        // Inverted so that scoring walks from a user's items i to the targets j that keep i.
        var targets = Enumerable.Range(0, n).Select(_ => new List<int>()).ToArray();
        var weights = Enumerable.Range(0, n).Select(_ => new List<float>()).ToArray();
        for (var j = 0; j < n; j++)
        {
            foreach (var (i, w) in kept[j])
            {
                targets[i].Add(j);
                weights[i].Add(w);
            }
        }

        _targets = [.. targets.Select(t => t.ToArray())];
        _weights = [.. weights.Select(w => w.ToArray())];
        _matrix = m;
        return Task.CompletedTask;
    }

    public void Score(int user, Span<float> scores)
    {
        var m = _matrix ?? throw new InvalidOperationException("Fit the model before scoring.");
        scores.Clear();
        if (user >= m.Users)
        {
            return;
        }

        foreach (var i in m.ItemsOfUser[user])
        {
            var targets = _targets[i];
            var weights = _weights[i];
            for (var x = 0; x < targets.Length; x++)
            {
                scores[targets[x]] += weights[x];
            }
        }
    }
}
