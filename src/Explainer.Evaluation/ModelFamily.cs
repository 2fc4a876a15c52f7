using Explainer.Core.Ranking;

namespace Explainer.Evaluation;

/// <summary>One configuration of a model family: a label for tables ("k=100 shrink=200") and a factory for a fresh, unfitted model.</summary>
public sealed record ModelCandidate(string Config, Func<IRecommenderModel> Create);

/// <summary>
/// A tunable model: the evaluator fits every candidate on the training split, keeps the one with the best validation
/// NDCG@k (the first on ties), refits it on train + validation and measures it on the test items.
/// </summary>
public sealed record ModelFamily(string Name, IReadOnlyList<ModelCandidate> Candidates)
{
    /// <summary>A family with a single configuration (nothing to tune).</summary>
    public static ModelFamily Single(string name, string config, Func<IRecommenderModel> create) => new(name, [new ModelCandidate(config, create)]);
}

/// <summary>How the evaluation runs.</summary>
public sealed record EvaluationOptions
{
    /// <summary>The cut-off of HR@k, NDCG@k, coverage, diversity, long tail and novelty (MRR has none).</summary>
    public int K { get; init; } = 10;

    /// <summary>Recorded in the report; models take their seed when their family is built (e.g. <c>Baselines.All(seed)</c>).</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Users scored in parallel (<see cref="IRecommenderModel.Score"/> is called concurrently for different users); null = all cores.</summary>
    public int? MaxDegreeOfParallelism { get; init; }

    /// <summary>
    /// Item–item similarity (item indexes of the evaluated data) for intra-list diversity, e.g. the cosine of content
    /// embeddings. Null: co-occurrence cosine on the data the model was fit on (<see cref="CooccurrenceCosine"/>).
    /// </summary>
    public Func<int, int, float>? ItemSimilarity { get; init; }
}

/// <summary>Progress of a run: <paramref name="Done"/> of <paramref name="Total"/> fits (every candidate plus each final refit).</summary>
public readonly record struct EvaluationProgress(string Description, int Done, int Total);
