using Explainer.Core.Ranking.Collaborative;
using Explainer.Core.Ranking;
using Explainer.Evaluation.Baselines;

namespace Explainer.Evaluation.Tests;

public sealed class BaselineTests
{
    [Fact]
    public void Spd_inverse_and_cholesky_solve_are_exact_on_a_random_matrix()
    {
        const int n = 75; // more than two pivot blocks, the last one partial
        var random = new Random(1);
        var m = new double[n * n];
        for (var i = 0; i < m.Length; i++)
        {
            m[i] = random.NextDouble() - 0.5;
        }

        // A = MᵀM + I is symmetric positive definite
        var a = new double[n * n];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = i == j ? 1 : 0;
                for (var k = 0; k < n; k++)
                {
                    s += m[(k * n) + i] * m[(k * n) + j];
                }

                a[(i * n) + j] = s;
            }
        }

        var inverse = (double[])a.Clone();
        DenseLinearAlgebra.InvertSpdInPlace(inverse, n);
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < n; j++)
            {
                double s = 0;
                for (var k = 0; k < n; k++)
                {
                    s += a[(i * n) + k] * inverse[(k * n) + j];
                }

                Assert.Equal(i == j ? 1 : 0, s, 1e-9);
            }
        }

        var b = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var factor = (double[])a.Clone();
        var x = (double[])b.Clone();
        DenseLinearAlgebra.CholeskySolveInPlace(factor, x, n);
        for (var i = 0; i < n; i++)
        {
            Assert.Equal(b[i], Enumerable.Range(0, n).Sum(k => a[(i * n) + k] * x[k]), 1e-9);
        }
    }

    public static TheoryData<string> Models => ["item-kNN", "EASE^R", "ALS (CG)", "ALS (Cholesky)", "EASE^R (capped)"];

    [Theory]
    [MemberData(nameof(Models))]
    public async Task Collaborative_baselines_find_a_planted_structure_that_random_and_popularity_cannot(string name)
    {
        var data = TestData.Planted();
        IRecommenderModel model = name switch
        {
            "item-kNN" => new ItemKnnModel(50, 10),
            "EASE^R" => new EaseModel(50),
            "EASE^R (capped)" => new EaseModel(50, maxItems: 120),
            "ALS (CG)" => new ImplicitAlsModel(16, 1, 10, 10, seed: 5),
            _ => new ImplicitAlsModel(16, 1, 10, 10, seed: 5, cgSteps: 0),
        };
        var options = new EvaluationOptions { K = 10 };
        var report = await Evaluator.RunAsync(data, [
            ModelFamily.Single("random", "-", () => new RandomModel(1)),
            ModelFamily.Single("popular", "-", () => new MostPopularModel()),
            ModelFamily.Single(name, "-", () => model),
        ], options);

        var random = report.Models[0].Test;
        var popular = report.Models[1].Test;
        var learned = report.Models[2].Test;

        // 240 items in 8 groups of 30: a user's group has ~23 unseen items left, random ranking hits ~10/232.
        Assert.InRange(random.HitRate, 0, 0.15);
        Assert.True(learned.Ndcg > 4 * random.Ndcg, $"{name} NDCG {learned.Ndcg:F3} vs random {random.Ndcg:F3}");
        Assert.True(learned.Ndcg > 2 * popular.Ndcg, $"{name} NDCG {learned.Ndcg:F3} vs popular {popular.Ndcg:F3}");
        Assert.True(learned.HitRate > 0.3, $"{name} HR@10 {learned.HitRate:F3}");
    }

    [Fact]
    public async Task Capped_ease_models_only_the_most_popular_items_and_ranks_the_rest_last()
    {
        var data = TestData.Planted();
        var ease = new EaseModel(50, maxItems: 100);
        await ease.FitAsync(data, CancellationToken.None);
        Assert.Equal(100, ease.ModelledItems);

        var scores = new float[data.ItemCount];
        ease.Score(0, scores);
        var modelled = Enumerable.Range(0, data.ItemCount).OrderByDescending(i => data.ItemCounts[i]).ThenBy(i => i).Take(100).ToHashSet();
        var lowestModelled = modelled.Min(i => scores[i]);
        Assert.All(Enumerable.Range(0, data.ItemCount).Where(i => !modelled.Contains(i)), i => Assert.True(scores[i] < lowestModelled));
    }

    [Fact]
    public async Task Random_and_als_are_reproducible_for_a_seed()
    {
        var data = TestData.Planted(users: 100);
        var a = new float[data.ItemCount];
        var b = new float[data.ItemCount];
        new RandomModel(9).Score(3, a);
        new RandomModel(9).Score(3, b);
        Assert.Equal(a, b);
        new RandomModel(10).Score(3, b);
        Assert.NotEqual(a, b);

        var first = new ImplicitAlsModel(8, 1, 10, 5, seed: 2);
        var second = new ImplicitAlsModel(8, 1, 10, 5, seed: 2);
        await first.FitAsync(data, CancellationToken.None);
        await second.FitAsync(data, CancellationToken.None);
        first.Score(7, a);
        second.Score(7, b);
        Assert.Equal(a, b);
    }

    [Fact]
    public async Task Most_popular_scores_by_training_popularity()
    {
        var data = InteractionData.FromReviews(
            [TestData.Review("a", "x", 1), TestData.Review("b", "x", 1), TestData.Review("b", "y", 2), TestData.Review("c", "x", 1), TestData.Review("c", "y", 3)],
            ["x", "y", "z"]);
        var model = new MostPopularModel();
        await model.FitAsync(data, CancellationToken.None);
        var scores = new float[3];
        model.Score(0, scores);
        Assert.Equal([3f, 2f, 0f], scores);
    }

    [Fact]
    public async Task Item_knn_scores_are_sums_of_shrunk_cosines_over_kept_neighbours()
    {
        // a {x, y}, b {x, y, z}, c {x}, d {z}: |U_x| = 3, |U_y| = 2, |U_z| = 2, x∩y = 2, x∩z = 1, y∩z = 1
        var data = InteractionData.FromReviews(
            [TestData.Review("a", "x", 1), TestData.Review("a", "y", 2), TestData.Review("b", "x", 1), TestData.Review("b", "y", 2), TestData.Review("b", "z", 3), TestData.Review("c", "x", 1), TestData.Review("d", "z", 1)],
            ["x", "y", "z"]);
        const float shrink = 1;
        var model = new ItemKnnModel(neighbours: 1, shrink);
        await model.FitAsync(data, CancellationToken.None);
        var scores = new float[3];

        // Shrunk cosines: s(x,y) = 2/(√3·√2 + 1) = 0.58, s(x,z) = 1/(√3·√2 + 1) = 0.29, s(y,z) = 1/(√2·√2 + 1) = 0.33.
        // With one neighbour kept per target: x keeps y, y keeps x, z keeps y.
        // c has x → y gets s(x,y); z gets nothing (z's neighbour is y, not x).
        model.Score(data.UserIndex["c"], scores);
        Assert.Equal(2 / (MathF.Sqrt(6) + 1), scores[data.ItemIndex["y"]], 1e-5f);
        Assert.Equal(0, scores[data.ItemIndex["z"]], 1e-6f);

        // d has z → no target keeps z as its neighbour → every score is 0.
        model.Score(data.UserIndex["d"], scores);
        Assert.Equal(0, scores[data.ItemIndex["x"]], 1e-6f);
        Assert.Equal(0, scores[data.ItemIndex["y"]], 1e-6f);
        Assert.Equal(0, scores[data.ItemIndex["z"]], 1e-6f);
    }
}
