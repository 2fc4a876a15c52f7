using System.Buffers;
using System.Diagnostics;
using Explainer.Core.Ranking;

namespace Explainer.Evaluation;

/// <summary>
/// Runs the offline protocol: leave-one-out by time (<see cref="LeaveOneOutSplit"/>), each family tuned on the
/// validation items by NDCG@k, the chosen configuration refitted on train + validation and measured on the test items.
/// Every ranking is a full ranking of the catalog minus the items the user interacted with in the data the model was
/// fit on (the held-out item itself is never excluded).
/// </summary>
public static class Evaluator
{
    public const string ProtocolDescription = "Leave-one-out by time (last = test, previous = validation), full ranking of unseen items, tuned on validation NDCG";

    public const string LongTailDescription = "Long tail = items outside the popularity head, the smallest set of most popular items covering 20% of the interactions the model was fit on";

    public static async Task<EvaluationReport> RunAsync(
        InteractionData all,
        IReadOnlyList<ModelFamily> families,
        EvaluationOptions? options = null,
        IProgress<EvaluationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new EvaluationOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.K, 1);
        var clock = Stopwatch.StartNew();
        var split = LeaveOneOutSplit.Create(all);
        if (split.EvaluatedUsers == 0)
        {
            throw new InvalidOperationException($"No user has {LeaveOneOutSplit.MinInteractions} or more interactions: nothing to evaluate.");
        }

        var total = families.Sum(f => f.Candidates.Count + 1);
        var done = 0;
        var results = new List<ModelResult>();
        foreach (var family in families)
        {
            if (family.Candidates.Count == 0)
            {
                throw new ArgumentException($"Model family '{family.Name}' has no candidate configuration.", nameof(families));
            }

            var tuningClock = Stopwatch.StartNew();
            var candidates = new List<CandidateResult>();
            foreach (var candidate in family.Candidates)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new EvaluationProgress($"{family.Name} {candidate.Config} (validation)", done, total));
                var model = candidate.Create();
                var fit = Stopwatch.StartNew();
                await model.FitAsync(split.Train, cancellationToken).ConfigureAwait(false);
                fit.Stop();
                var outcome = Score(model, split.Train, split.ValidationItems, options.K, options.MaxDegreeOfParallelism, keepLists: false, cancellationToken);
                candidates.Add(new CandidateResult(candidate.Config, outcome.Ranks.Average(r => RankingMetrics.Ndcg(r, options.K)), fit.Elapsed.TotalSeconds));
                (model as IDisposable)?.Dispose();
                done++;
            }

            tuningClock.Stop();
            var bestIndex = 0;
            for (var i = 1; i < candidates.Count; i++)
            {
                if (candidates[i].ValidationNdcg > candidates[bestIndex].ValidationNdcg)
                {
                    bestIndex = i;
                }
            }

            var chosen = family.Candidates[bestIndex];
            progress?.Report(new EvaluationProgress($"{family.Name} {chosen.Config} (test)", done, total));
            var final = chosen.Create();
            var finalFit = Stopwatch.StartNew();
            await final.FitAsync(split.TrainAndValidation, cancellationToken).ConfigureAwait(false);
            finalFit.Stop();
            var test = Score(final, split.TrainAndValidation, split.TestItems, options.K, options.MaxDegreeOfParallelism, keepLists: true, cancellationToken);
            (final as IDisposable)?.Dispose();
            done++;
            results.Add(new ModelResult(
                family.Name,
                chosen.Config,
                candidates[bestIndex].ValidationNdcg,
                Measure(test, split.TrainAndValidation, options),
                finalFit.Elapsed.TotalSeconds,
                tuningClock.Elapsed.TotalSeconds,
                candidates));
        }

        progress?.Report(new EvaluationProgress("done", done, total));
        return new EvaluationReport(
            all.UserCount,
            all.ItemCount,
            all.ByUser.Sum(l => l.Length),
            split.EvaluatedUsers,
            options.K,
            options.Seed,
            ProtocolDescription,
            LongTailDescription,
            clock.Elapsed.TotalSeconds,
            results);
    }

    /// <summary>The test metrics of ranked lists produced on <paramref name="fitData"/>.</summary>
    internal static TestMetrics Measure(Outcome outcome, InteractionData fitData, EvaluationOptions options)
    {
        var k = options.K;
        var similarity = options.ItemSimilarity ?? new CooccurrenceCosine(fitData).Similarity;
        var head = RankingMetrics.PopularityHead(fitData.ItemCounts);
        var users = fitData.ByUser.Count(l => l.Length > 0);
        var lists = outcome.Lists!;
        return new TestMetrics(
            outcome.Ranks.Average(r => RankingMetrics.HitRate(r, k)),
            outcome.Ranks.Average(r => RankingMetrics.Ndcg(r, k)),
            outcome.Ranks.Average(RankingMetrics.ReciprocalRank),
            RankingMetrics.Coverage(lists, fitData.ItemCount),
            lists.Average(l => RankingMetrics.IntraListDiversity(l, similarity)),
            lists.Average(l => RankingMetrics.LongTailShare(l, head)),
            lists.Average(l => RankingMetrics.Novelty(l, fitData.ItemCounts, users)));
    }

    /// <summary>
    /// Scores every user with a target (index ≥ 0), in parallel: the rank of the target among the items the user has
    /// not interacted with in <paramref name="fitData"/>, and optionally the top-k list.
    /// </summary>
    internal static Outcome Score(IRecommenderModel model, InteractionData fitData, IReadOnlyList<int> targets, int k, int? maxDegreeOfParallelism, bool keepLists, CancellationToken cancellationToken)
    {
        var users = Enumerable.Range(0, targets.Count).Where(u => targets[u] >= 0).ToArray();
        var ranks = new int[users.Length];
        var lists = keepLists ? new int[users.Length][] : null;
        var n = fitData.ItemCount;
        var parallel = new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = maxDegreeOfParallelism ?? -1 };
        Parallel.For(0, users.Length, parallel, () => ArrayPool<float>.Shared.Rent(n), (x, _, buffer) =>
        {
            var u = users[x];
            var target = targets[u];
            var scores = buffer.AsSpan(0, n);
            scores.Clear();
            model.Score(u, scores);
            for (var j = 0; j < scores.Length; j++)
            {
                if (float.IsNaN(scores[j]))
                {
                    scores[j] = float.NegativeInfinity;
                }
            }

            foreach (var seen in fitData.ByUser[u])
            {
                if (seen.Item != target)
                {
                    scores[seen.Item] = float.NegativeInfinity;
                }
            }

            // A target the model itself scored −∞ still ranks below every other candidate rather than vanishing.
            if (float.IsNegativeInfinity(scores[target]))
            {
                scores[target] = float.MinValue;
            }

            ranks[x] = TopK.RankOf(scores, target);
            if (lists is not null)
            {
                lists[x] = TopK.Select(scores, k);
            }

            return buffer;
        }, buffer => ArrayPool<float>.Shared.Return(buffer));
        return new Outcome(ranks, lists);
    }

    internal sealed record Outcome(int[] Ranks, int[][]? Lists);
}
