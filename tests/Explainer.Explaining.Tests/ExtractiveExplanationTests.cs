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
        Assert.True(m.UniqueSentenceRatio >= 0.9, $"unique sentence ratio {m.UniqueSentenceRatio:F3}");
        Assert.All(evaluation.Outputs, o => Assert.Equal("extractive", o.Outcome.Engine));
    }
}
