using Explainer.Evaluation.Baselines;

namespace Explainer.Evaluation.Tests;

/// <summary>
/// The protocol with tuned baselines on the real Musical Instruments data (reduced grids around the known optima to keep
/// the test short). Calibration figures from an independent implementation of the same protocol, test NDCG@10: random
/// 0.005, most popular 0.044, item-kNN 0.064, EASE^R 0.066, implicit ALS 0.065.
/// </summary>
public sealed class AmazonEvaluationTests
{
    [Fact]
    public async Task Tuned_baselines_land_near_the_calibration_figures_and_in_the_expected_order()
    {
        var data = TestData.Amazon;
        Assert.Equal(1429, data.UserCount);
        Assert.Equal(900, data.ItemCount);

        var report = await Evaluator.RunAsync(
            data,
            [
                Baselines.Baselines.Random(42),
                Baselines.Baselines.MostPopular(),
                Baselines.Baselines.ItemKnn([50, 100], [100f, 200f]),
                Baselines.Baselines.Ease([100, 200, 500]),
                Baselines.Baselines.ImplicitAls(42, [64], [50, 100], [20, 40]),
            ],
            new EvaluationOptions { K = 10, Seed = 42 });

        Assert.Equal(1429, report.EvaluatedUsers); // 5-core: everyone has at least 3 reviews
        var byName = report.Models.ToDictionary(m => m.Name, m => m.Test);
        var random = byName["Random"].Ndcg;
        var popular = byName["Most popular"].Ndcg;
        var knn = byName["Item-kNN"].Ndcg;
        var ease = byName["EASE^R"].Ndcg;
        var als = byName["Implicit ALS"].Ndcg;

        Assert.InRange(random, 0.0005, 0.015);
        Assert.InRange(popular, 0.035, 0.053);
        Assert.InRange(knn, 0.055, 0.075);
        Assert.InRange(ease, 0.055, 0.075);
        Assert.InRange(als, 0.050, 0.075);
        Assert.True(random < popular && popular < knn && popular < ease && popular < als, report.ToTable());

        // Most popular recommends the same few items to everyone: low coverage, no long tail; random is the opposite.
        Assert.True(byName["Most popular"].Coverage < 0.05);
        Assert.Equal(0, byName["Most popular"].LongTailShare);
        Assert.True(byName["Random"].Coverage > 0.9);
        Assert.True(byName["Random"].Novelty > byName["Item-kNN"].Novelty && byName["Item-kNN"].Novelty > byName["Most popular"].Novelty);
        Assert.All(report.Models, m => Assert.InRange(m.Test.Diversity, 0, 1));
        Assert.All(report.Models, m => Assert.InRange(m.Test.Mrr, 0, m.Test.HitRate));
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_report()
    {
        var data = TestData.Amazon;
        var families = new[] { Baselines.Baselines.Random(7), Baselines.Baselines.ItemKnn([100], [200f]) };
        var first = await Evaluator.RunAsync(data, families, new EvaluationOptions { Seed = 7 });
        var second = await Evaluator.RunAsync(data, families, new EvaluationOptions { Seed = 7 });
        Assert.Equal(first.Models.Select(m => m.Test), second.Models.Select(m => m.Test));
    }
}
