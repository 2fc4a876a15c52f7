using Explainer.Core.Ranking;

namespace Explainer.Evaluation.Tests;

public sealed class SplitAndEvaluatorTests
{
    private static InteractionData Small() => InteractionData.FromReviews(
        [
            // a: five interactions; p and q share time 40, so the review id ("a|p|40" < "a|q|40") orders them
            TestData.Review("a", "m", 10), TestData.Review("a", "n", 20), TestData.Review("a", "o", 30),
            TestData.Review("a", "q", 40), TestData.Review("a", "p", 40),

            // b: exactly three, given out of order
            TestData.Review("b", "o", 300), TestData.Review("b", "m", 100), TestData.Review("b", "n", 200),

            // c: two, too few to evaluate
            TestData.Review("c", "m", 5), TestData.Review("c", "p", 6),
        ],
        ["m", "n", "o", "p", "q", "r"]);

    [Fact]
    public void Last_interaction_is_test_the_one_before_validation_and_short_histories_stay_in_training()
    {
        var data = Small();
        var split = LeaveOneOutSplit.Create(data);
        int a = data.UserIndex["a"], b = data.UserIndex["b"], c = data.UserIndex["c"];
        string Item(int i) => data.ItemIds[i];

        Assert.Equal(2, split.EvaluatedUsers);
        Assert.Equal("q", Item(split.TestItems[a]));
        Assert.Equal("p", Item(split.ValidationItems[a]));
        Assert.Equal("o", Item(split.TestItems[b]));
        Assert.Equal("n", Item(split.ValidationItems[b]));
        Assert.Equal(-1, split.TestItems[c]);
        Assert.Equal(-1, split.ValidationItems[c]);

        Assert.Equal(["m", "n", "o"], split.Train.ByUser[a].Select(x => Item(x.Item)));
        Assert.Equal(["m"], split.Train.ByUser[b].Select(x => Item(x.Item)));
        Assert.Equal(["m", "p"], split.Train.ByUser[c].Select(x => Item(x.Item)));
        Assert.Equal(["m", "n", "o", "p"], split.TrainAndValidation.ByUser[a].Select(x => Item(x.Item)));
        Assert.Equal(["m", "n"], split.TrainAndValidation.ByUser[b].Select(x => Item(x.Item)));

        // same users and catalog in every part, so indexes mean the same everywhere
        Assert.Equal(data.ItemIds, split.Train.ItemIds);
        Assert.Equal(data.UserIds, split.TrainAndValidation.UserIds);
    }

    [Fact]
    public void Seen_items_are_excluded_from_the_ranking_but_the_held_out_item_never_is()
    {
        var data = Small();
        var split = LeaveOneOutSplit.Create(data);

        // Scores items by index: r (5) > q (4) > p (3) > o > n > m. User a has m, n, o, p in train+validation; the test
        // item q is also scored; r is unseen → ranking r, q → q is rank 2. User b has m, n → r, q, p, o → o is rank 4.
        var outcome = Evaluator.Score(new FixedModel(i => i), split.TrainAndValidation, split.TestItems, 2, null, keepLists: true, CancellationToken.None);
        Assert.Equal([2, 4], outcome.Ranks);
        Assert.Equal(["r", "q"], outcome.Lists![0].Select(i => data.ItemIds[i]));
        Assert.Equal(["r", "q"], outcome.Lists![1].Select(i => data.ItemIds[i]));

        // The reverse order puts the seen items m, n, o, p first; they are excluded, so the best remaining item leads:
        // a: q (−4) before r (−5) → rank 1; b: o (−2) before p, q, r → rank 1.
        var reverse = Evaluator.Score(new FixedModel(i => -i), split.TrainAndValidation, split.TestItems, 2, null, keepLists: true, CancellationToken.None);
        Assert.Equal([1, 1], reverse.Ranks);
        Assert.Equal(["q", "r"], reverse.Lists![0].Select(i => data.ItemIds[i]));
        Assert.Equal(["o", "p"], reverse.Lists![1].Select(i => data.ItemIds[i]));
    }

    [Fact]
    public async Task Run_tunes_on_validation_and_reports_the_chosen_config()
    {
        var data = TestData.Planted(users: 120, clusters: 4, itemsPerCluster: 15);
        var family = new ModelFamily("Item-kNN", [
            new ModelCandidate("k=1", () => new Baselines.ItemKnnModel(1, 0)),
            new ModelCandidate("k=50", () => new Baselines.ItemKnnModel(50, 10)),
        ]);
        var updates = new List<EvaluationProgress>();
        var report = await Evaluator.RunAsync(data, [family], new EvaluationOptions { K = 5, Seed = 3 }, new SyncProgress(updates.Add));

        var model = Assert.Single(report.Models);
        Assert.Equal(2, model.Candidates.Count);
        Assert.Equal(model.Candidates.MaxBy(c => c.ValidationNdcg)!.Config, model.ChosenConfig);
        Assert.Equal(model.Candidates.Max(c => c.ValidationNdcg), model.ValidationNdcg);
        Assert.Equal(120, report.EvaluatedUsers);
        Assert.Equal(5, report.K);
        Assert.Equal(3, updates[^1].Total);
        Assert.Equal(3, updates[^1].Done);
        Assert.InRange(model.Test.Ndcg, 0, model.Test.HitRate);
        Assert.InRange(model.Test.Coverage, 0, 1);

        var table = report.ToTable();
        Assert.Contains("NDCG@5", table, StringComparison.Ordinal);
        Assert.Contains(model.ChosenConfig, table, StringComparison.Ordinal);
        var back = EvaluationReport.FromJson(report.ToJson())!;
        Assert.Equal(model.Test, back.Models[0].Test);
        Assert.Equal(model.ChosenConfig, back.Models[0].ChosenConfig);
    }

    private sealed class SyncProgress(Action<EvaluationProgress> report) : IProgress<EvaluationProgress>
    {
        public void Report(EvaluationProgress value) => report(value);
    }

    private sealed class FixedModel(Func<int, float> score) : IRecommenderModel
    {
        public string Name => "fixed";

        public Task FitAsync(InteractionData train, CancellationToken cancellationToken) => Task.CompletedTask;

        public void Score(int user, Span<float> scores)
        {
            for (var i = 0; i < scores.Length; i++)
            {
                scores[i] = score(i);
            }
        }
    }
}
