using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;

namespace Explainer.Explaining;

/// <summary>The outputs of explaining the top-k recommendations of a seeded sample of users, and their metrics.</summary>
public sealed record ExplanationEvaluation(IReadOnlyList<ScoredExplanation> Outputs, ExplanationMetrics Metrics, string Engine, double ElapsedSeconds);

/// <summary>
/// Explains the recommendations of a fixed, seeded sample of users (those with an interest profile, as in the offline
/// evaluation), without the cache, for <c>eval --explanations</c> and <c>prompts run</c>.
/// </summary>
public sealed class ExplanationEvaluator(IRecommenderStore store, RecommendationService recommendations, ExplanationService explanations, IAspectReader? aspects = null)
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
            var result = await recommendations.RecommendAsync(new RecommendationRequest { UserId = user, K = k }, cancellationToken).ConfigureAwait(false);
            var outcomes = await explanations.GenerateAllAsync(result, version, cancellationToken).ConfigureAwait(false);
            for (var j = 0; j < outcomes.Count; j++)
            {
                var outcome = outcomes[j];
                outputs.Add(new ScoredExplanation(user, result.Items[j].Item.Id, outcome, ExplanationChecker.Check(outcome.Draft.Text, outcome.Evidence, aspects, outcome.Draft.EvidenceIds)));
            }

            progress?.Report((i + 1, sample.Count));
        }

        var engine = explanations.EngineId;
        return new ExplanationEvaluation(outputs, ExplanationMetrics.Compute(outputs), engine, watch.Elapsed.TotalSeconds);
    }
}
