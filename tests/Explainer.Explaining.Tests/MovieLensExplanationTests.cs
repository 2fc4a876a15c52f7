using System.Text.RegularExpressions;
using Explainer.Core.Enrichment;
using Explainer.Core.Recommending;
using Explainer.Ingest;
using Explainer.Storage;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Explainer.Explaining.Tests;

/// <summary>
/// Data nobody tuned the writer on: MovieLens latest-small (ratings, genres and tags, no review text). What a reader
/// trips over there: "reviewed" for what are stars, "the Ice Age" and "your Pulp Fiction" for titles of films,
/// "Bourne Identity, The", nothing said about the film itself.
/// </summary>
public sealed partial class MovieLensExplanationTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir _dir = new();

    [Fact]
    public async Task Ratings_only_data_is_explained_with_rated_proper_titles_genres_and_tags()
    {
        var path = _dir.File("ml.db");
        await using var services = EnrichedStoreFixture.BuildServices(path);
        var ml = TestPaths.MovieLens;
        await new Importer(services.GetRequiredService<ExplainerStore>()).ImportMovieLensAsync(
            Path.Combine(ml, "ratings.csv"), Path.Combine(ml, "movies.csv"), Path.Combine(ml, "tags.csv"));
        await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, progress: null, CancellationToken.None);
        await services.GetRequiredService<IndexService>().BuildAsync(null, CancellationToken.None);

        var evaluation = await services.GetRequiredService<ExplanationEvaluator>().RunAsync(users: 40, k: 10, seed: 7, version: null, progress: null, CancellationToken.None);
        var texts = evaluation.Outputs.Select(o => o.Outcome.Draft.Text).ToList();
        foreach (var text in texts.Take(15))
        {
            output.WriteLine(text);
        }

        Assert.Equal(400, texts.Count);
        Assert.All(evaluation.Outputs, o => Assert.True(o.Outcome.Verification.Passed, $"{o.Outcome.Draft.Text} :: {string.Join(" | ", o.Outcome.Verification.Problems.Concat(o.Outcome.Verification.Claims.Where(c => !c.Supported).Select(c => c.Kind + ":" + c.Text)))}"));
        Assert.True(evaluation.Metrics.Faithfulness >= 0.95, $"faithfulness {evaluation.Metrics.Faithfulness:F3}");
        Assert.Equal(0, evaluation.Metrics.EnglishErrors);

        // Nobody here wrote a review: every history is stars.
        Assert.DoesNotContain(texts, t => t.Contains("review", StringComparison.OrdinalIgnoreCase));
        Assert.All(texts.Where(t => CoCount().IsMatch(t)), t => Assert.Contains("rated", t, StringComparison.Ordinal));

        // Film titles are names: no "the Cube", no "your Cube", no catalogue inversion, no year in the sentence.
        // ("the" inside a name, "Harry Potter and the Sorcerer's Stone", is the name's own.)
        Assert.All(evaluation.Outputs, o => Assert.DoesNotMatch(ArticleBeforeName(), WithoutNames(o.Outcome.Draft.Text, o.Outcome.Evidence)));
        Assert.DoesNotContain(texts, t => t.Contains("your ", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains(", The", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => Year().IsMatch(t));

        // Something about the film itself, from its genres and tags; a quoted tag is one of the item's own.
        Assert.True(texts.Count(t => t.Contains("listed as", StringComparison.Ordinal)) >= texts.Count * 0.8, "most texts say the genres");
        Assert.Contains(texts, t => t.Contains("its tags include \"", StringComparison.Ordinal));

        // Tags a shopper can use: ones several films share, not one person's verdict, spoiler or shouting; no format as a genre.
        var store = services.GetRequiredService<ExplainerStore>();
        var tagFilms = store.Items().SelectMany(i => i.Attributes.TryGetValue("tag", out var t) ? t.Distinct(StringComparer.OrdinalIgnoreCase) : [])
            .GroupBy(t => t, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
        foreach (var text in texts.Where(t => t.Contains("its tags include", StringComparison.Ordinal)))
        {
            foreach (var tag in Regex.Matches(text[text.IndexOf("its tags include", StringComparison.Ordinal)..], "\"([^\"]+)\"").Select(m => m.Groups[1].Value))
            {
                Assert.True(tagFilms.GetValueOrDefault(tag) >= 2, $"'{tag}' is on {tagFilms.GetValueOrDefault(tag)} film(s): {text}");
                Assert.DoesNotMatch(@"(?i)\b(twists?|ending|better|over-?rated)\b", tag);
                Assert.False(tag.Count(char.IsLetter) > 4 && tag.Where(char.IsLetter).All(char.IsUpper), tag);
            }
        }

        Assert.DoesNotContain(texts, t => t.Contains("IMAX", StringComparison.Ordinal));
    }

    public void Dispose() => _dir.Dispose();

    private static string WithoutNames(string text, Explainer.Core.Explaining.ExplanationEvidence evidence) =>
        evidence.Reasons.SelectMany(r => r.History.Select(h => h.Name.Short).Concat(r.Similar.Select(x => x.Name.Short))).Append(evidence.Name.Short)
            .OrderByDescending(n => n.Length).Aggregate(text, (t, name) => t.Replace(name, "§", StringComparison.Ordinal));

    [GeneratedRegex(@"\b\d+ of (?:the )?\d+\b")]
    private static partial Regex CoCount();

    [GeneratedRegex(@"\b(?:the|your|a|an) §", RegexOptions.IgnoreCase)]
    private static partial Regex ArticleBeforeName();

    [GeneratedRegex(@"\(\d{4}\)")]
    private static partial Regex Year();
}
