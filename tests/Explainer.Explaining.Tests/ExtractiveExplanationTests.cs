using Explainer.Core.Explaining;
using Explainer.Core.Recommending;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Explainer.Explaining.Tests;

/// <summary>The extractive engine on the real data: the acceptance thresholds and quoting the user's own words.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class ExtractiveExplanationTests(EnrichedStoreFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task On_200_users_the_explanations_are_faithful_supported_varied_and_grammatical()
    {
        await using var services = EnrichedStoreFixture.BuildServices(fixture.StorePath);
        var evaluation = await services.GetRequiredService<ExplanationEvaluator>().RunAsync(users: 200, k: 10, seed: 42, version: null, progress: null, CancellationToken.None);
        var m = evaluation.Metrics;
        output.WriteLine($"{m}");
        foreach (var o in evaluation.Outputs.Take(30))
        {
            output.WriteLine($"{o.UserId} {o.ItemId}: {o.Outcome.Draft.Text}");
        }

        foreach (var o in evaluation.Outputs.Where(o => !o.Outcome.Verification.Passed).Take(20))
        {
            output.WriteLine($"FAILED {o.Outcome.Draft.Text} :: {string.Join(" | ", o.Outcome.Verification.Claims.Where(c => !c.Supported).Select(c => c.Kind + ":" + c.Text))}");
        }

        Assert.Equal(200, m.Users);
        Assert.True(m.Faithfulness >= 0.95, $"faithfulness {m.Faithfulness:F3}");
        Assert.True(m.Links > 0 && m.LinkSupport >= 0.95, $"link support {m.LinkSupport:F3} of {m.Links} links");
        Assert.True(m.SkeletonShare <= 0.10, $"skeleton share {m.SkeletonShare:F3}: {m.TopSkeleton}");
        Assert.True(m.QuoteReuseMax <= 2, $"quote reuse max {m.QuoteReuseMax}");
        Assert.Equal(0, m.EnglishErrors);
        Assert.True(m.GroundedPrecision >= 0.98, $"grounded precision {m.GroundedPrecision:F3}");
        // What a shopper reads is one list: no sentence twice in it. Across users the same reviewer's praise of an item
        // is the same true fact for everyone it is recommended to, so the global ratio is lower and only bounded.
        var repeatedInAList = evaluation.Outputs.GroupBy(o => o.UserId)
            .SelectMany(g => g.SelectMany(o => ExplanationChecker.SentenceSplit(o.Outcome.Draft.Text, o.Outcome.Evidence)).GroupBy(x => x).Where(x => x.Count() > 1).Select(x => $"{g.Key}: {x.Key}"))
            .ToList();
        Assert.True(repeatedInAList.Count == 0, $"sentences repeated within one user's list: {string.Join(" | ", repeatedInAList)}");
        Assert.True(m.UniqueSentenceRatio >= 0.75, $"unique sentence ratio {m.UniqueSentenceRatio:F3}");
        Assert.All(evaluation.Outputs, o => Assert.Equal("extractive", o.Outcome.Engine));

        // A history item the user rated 1 or 2 stars is never offered as the reason ("because you liked it").
        Assert.All(evaluation.Outputs.SelectMany(o => o.Outcome.Evidence.Reasons.SelectMany(r => r.History)), h => Assert.True(h.Rating is null or >= 3, $"{h.Name.Short}: {h.Rating} stars"));
    }
}
