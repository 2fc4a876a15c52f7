using Explainer.Core.Enrichment;
using Explainer.Extractive;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Tests.Pipeline;

/// <summary>Enrichment's keyword cache spilled to a temporary file gives back exactly what it was given.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed class ReviewKeywordCacheTests(EnrichedStoreFixture fixture)
{
    [Fact]
    public async Task Spilled_keywords_read_back_equal_to_the_in_memory_ones_from_a_file_that_has_no_name()
    {
        var extractor = fixture.Services.GetRequiredService<ExtractiveKeywordExtractor>();
        var reviews = fixture.Store.Reviews().Where((_, i) => i % 17 == 0).Take(400).ToList();
        string[] Named() => Directory.GetFiles(Path.GetTempPath(), $"explainer-keywords-{Environment.ProcessId}-*");
        var memory = new ReviewKeywordCache(extractor);
        await memory.PrepareAsync(fixture.Store.Reviews(), CancellationToken.None);
        await memory.EnsureAsync(reviews, CancellationToken.None);
        using (var spilled = new ReviewKeywordCache(extractor, spill: true))
        {
            await spilled.PrepareAsync(fixture.Store.Reviews(), CancellationToken.None);
            await spilled.EnsureAsync(reviews, CancellationToken.None);
            await spilled.EnsureAsync(reviews.Take(50).ToList(), CancellationToken.None); // known ones: nothing extracted, nothing added
            Assert.Empty(Named()); // unlinked as soon as it was made: a killed run leaves nothing behind
            var total = 0;
            foreach (var review in reviews.AsEnumerable().Reverse()) // read in another order than written
            {
                Assert.Equal(memory.Get(review.Id), spilled.Get(review.Id));
                total += spilled.Get(review.Id).Count;
            }

            Assert.True(total > 400, $"{total} keywords in 400 reviews");
            Assert.Empty(spilled.Get("no-such-review"));
        }

        Assert.Empty(Named());
    }
}
