namespace Explainer.Core.Ranking;

/// <summary>
/// A model that scores every item for a user, trained on interactions only (what the user has is excluded by the
/// caller). Explainer's own ranker and every evaluation baseline implement it, so they are measured the same way.
/// </summary>
public interface IRecommenderModel
{
    /// <summary>Short name for tables ("EASE^R", "item-kNN", "Explainer").</summary>
    string Name { get; }

    /// <summary>Learns from <paramref name="train"/> (for evaluation: every interaction except the held-out ones).</summary>
    Task FitAsync(InteractionData train, CancellationToken cancellationToken);

    /// <summary>Writes a score for every item (index = item index in the training data); higher is better.</summary>
    void Score(int user, Span<float> scores);
}

/// <summary>A model that can score any weighted set of items (recent ones weighing more, liked feedback added), not only a training row.</summary>
public interface IHistoryScorer
{
    void Score(IReadOnlyList<(int Item, float Weight)> history, Span<float> scores);
}
