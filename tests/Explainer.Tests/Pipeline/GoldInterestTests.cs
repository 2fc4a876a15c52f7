using Explainer.Core.Enrichment;
using Explainer.Evaluation;
using Explainer.Extractive;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Explainer.Tests.Pipeline;

/// <summary>The extractive keyword engine against the hand-labelled gold set (tests/gold, see its RUBRIC.md).</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class GoldInterestTests(EnrichedStoreFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Keyword_precision_is_at_least_0_8_and_polarity_accuracy_at_least_0_95()
    {
        var gold = GoldInterests.Load(Path.Combine(TestPaths.RepoRoot, "tests", "gold"));
        Assert.True(gold.Count >= 300, $"{gold.Count} gold sentences");
        Assert.True(gold.Select(g => g.ReviewId.Split('|')[0]).Distinct().Count() >= 30);

        var extractor = fixture.Services.GetRequiredService<ExtractiveKeywordExtractor>();
        var reviews = fixture.Store.Reviews().ToList();
        await extractor.PrepareAsync(reviews, CancellationToken.None);
        var wanted = gold.Select(g => g.ReviewId).ToHashSet(StringComparer.Ordinal);
        var sample = reviews.Where(r => wanted.Contains(r.Id)).ToList();
        Assert.Equal(wanted.Count, sample.Count); // every gold sentence's review is in the real data
        var found = await extractor.ExtractAsync(sample, CancellationToken.None);
        var byReview = sample.Select((r, i) => (r.Id, found[i])).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal);

        var score = GoldInterests.Score(gold, byReview, Lemmas.Word);
        output.WriteLine($"{score.Sentences} sentences, {score.Labels} labels, {score.Keywords} keywords: precision {score.Precision:0.000}, recall {score.Recall:0.000}, polarity accuracy {score.PolarityAccuracy:0.000}");
        foreach (var (sentence, keyword, verdict) in Misses(gold, byReview).Take(60))
        {
            output.WriteLine($"  {verdict}: {keyword}  <- {sentence.Text}  [{string.Join("; ", sentence.Labels.Select(l => l.Phrase + (l.Polarity == Core.Domain.Polarity.Liked ? ":+" : ":-")))}]");
        }

        Assert.True(score.Precision >= 0.8, $"precision {score.Precision:0.000}");
        Assert.True(score.PolarityAccuracy >= 0.95, $"polarity accuracy {score.PolarityAccuracy:0.000}");
    }

    private static IEnumerable<(GoldSentence Sentence, string Keyword, string Verdict)> Misses(IReadOnlyList<GoldSentence> gold, Dictionary<string, IReadOnlyList<ReviewKeyword>> byReview)
    {
        foreach (var g in gold)
        {
            foreach (var k in byReview[g.ReviewId].Where(k => string.Equals(k.Sentence.Trim().TrimEnd('.'), g.Text.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
            {
                var label = g.Labels.FirstOrDefault(l => GoldInterests.Matches(k.Text, l.Phrase, Lemmas.Word));
                if (label is null)
                {
                    yield return (g, k.Text, "not an interest");
                }
                else if (label.Polarity != k.Polarity)
                {
                    yield return (g, $"{k.Text} ({k.Polarity}, {k.Sentiment})", "wrong polarity");
                }
            }
        }
    }
}
