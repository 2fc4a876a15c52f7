using Explainer.Core.Ranking.Collaborative;
using System.Globalization;

namespace Explainer.Evaluation.Baselines;

/// <summary>The baseline families every evaluation run includes, each with its tuning grid.</summary>
public static class Baselines
{
    public static ModelFamily Random(int seed) => ModelFamily.Single("Random", $"seed={seed}", () => new RandomModel(seed));

    public static ModelFamily MostPopular() => ModelFamily.Single("Most popular", "-", () => new MostPopularModel());

    public static ModelFamily ItemKnn(IEnumerable<int>? neighbours = null, IEnumerable<float>? shrinks = null) => new(
        "Item-kNN",
        [.. from k in neighbours ?? [20, 50, 100, 200]
            from s in shrinks ?? [0f, 10f, 50f, 100f, 200f]
            select new ModelCandidate(Invariant($"k={k} shrink={s}"), () => new ItemKnnModel(k, s))]);

    public static ModelFamily Ease(IEnumerable<double>? lambdas = null, int maxItems = EaseModel.DefaultMaxItems) => new(
        "EASE^R",
        [.. from l in lambdas ?? [10, 50, 100, 200, 500, 1000, 2000]
            select new ModelCandidate(Invariant($"lambda={l}"), () => new EaseModel(l, maxItems))]);

    public static ModelFamily ImplicitAls(
        int seed,
        IEnumerable<int>? factors = null,
        IEnumerable<double>? regularizations = null,
        IEnumerable<double>? alphas = null,
        int iterations = 15,
        int cgSteps = ImplicitAlsModel.DefaultCgSteps) => new(
        "Implicit ALS",
        [.. from f in factors ?? [64, 128]
            from r in regularizations ?? [10, 50, 100]
            from a in alphas ?? [10, 20, 40]
            select new ModelCandidate(Invariant($"factors={f} reg={r} alpha={a} iters={iterations}"), () => new ImplicitAlsModel(f, r, a, iterations, seed, cgSteps))]);

    /// <summary>Random, most popular, item-kNN, EASE^R and implicit ALS with their full grids.</summary>
    public static IReadOnlyList<ModelFamily> All(int seed = 42) =>
        [Random(seed), MostPopular(), ItemKnn(), Ease(), ImplicitAls(seed)];

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
