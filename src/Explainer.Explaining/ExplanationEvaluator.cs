using Explainer.Core.Domain;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;

namespace Explainer.Explaining;

/// <summary>The outputs of explaining the top-k recommendations of a seeded sample of users, and their metrics.</summary>
public sealed record ExplanationEvaluation(IReadOnlyList<ScoredExplanation> Outputs, ExplanationMetrics Metrics, string Engine, double ElapsedSeconds);

/// <summary>
/// Explains the recommendations of a fixed, seeded sample of users (those with an interest profile, as in the offline
/// evaluation), without the cache, for <c>eval --explanations</c> and <c>prompts run</c>.
/// </summary>
public sealed class ExplanationEvaluator(IRecommenderStore store, RecommendationService recommendations, ExplanationService explanations)
{
    /// <summary>The sample: users with a profile, shuffled by <paramref name="seed"/>, the first <paramref name="users"/> (all when 0).</summary>
    public IReadOnlyList<string> SampleUsers(int users, int seed)
    {
        var all = store.Users().Select(u => u.Id).Where(id => store.FindProfile(id) is not null).OrderBy(id => id, StringComparer.Ordinal).ToArray();
        new Random(seed).Shuffle(all);
        return users > 0 && users < all.Length ? all[..users] : all;
    }

    public async Task<ExplanationEvaluation> RunAsync(int users, int k, int seed, PromptVersion? version, IProgress<(int Done, int Total)>? progress, CancellationToken cancellationToken)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var sample = SampleUsers(users, seed);
        var outputs = new List<ScoredExplanation>();
        for (var i = 0; i < sample.Count; i++)
        {
            var user = sample[i];
            foreach (var r in await recommendations.ForUserAsync(user, k, 0, cancellationToken).ConfigureAwait(false))
            {
                var outcome = await explanations.GenerateAsync(user, r, version, cancellationToken).ConfigureAwait(false);
                outputs.Add(new ScoredExplanation(user, r.ItemId, outcome));
            }

            progress?.Report((i + 1, sample.Count));
        }

        var engine = explanations.UsesLlm ? "llm:" + explanations.ModelId : "extractive";
        return new ExplanationEvaluation(outputs, ExplanationMetrics.Compute(outputs), engine, watch.Elapsed.TotalSeconds);
    }
}
