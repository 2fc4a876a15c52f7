using Explainer.Core.Ranking;

namespace Explainer.Evaluation.Baselines;

/// <summary>Uniformly random scores, reproducible: each user's scores come from a generator seeded with (seed, user).</summary>
public sealed class RandomModel(int seed) : IRecommenderModel
{
    public string Name => "Random";

    public Task FitAsync(InteractionData train, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Score(int user, Span<float> scores)
    {
        // System.Random with an explicit seed uses a fixed algorithm, so the sequence is the same on every run.
        var random = new Random(unchecked((seed * 1_000_003) + user));
        for (var j = 0; j < scores.Length; j++)
        {
            scores[j] = random.NextSingle();
        }
    }
}
