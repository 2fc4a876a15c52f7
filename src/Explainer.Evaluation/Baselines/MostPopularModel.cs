using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Ranking;

namespace Explainer.Evaluation.Baselines;

/// <summary>Scores every item by how many training users interacted with it.</summary>
public sealed class MostPopularModel : IRecommenderModel
{
    private float[] _popularity = [];

    public string Name => "Most popular";

    public Task FitAsync(InteractionData train, CancellationToken cancellationToken)
    {
        _popularity = [.. new BinaryMatrix(train).UsersOfItem.Select(u => (float)u.Length)];
        return Task.CompletedTask;
    }

    public void Score(int user, Span<float> scores) => _popularity.CopyTo(scores);
}
