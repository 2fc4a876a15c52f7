using System.Collections.Concurrent;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>Per-review keywords, extracted once (the extractor learns corpus statistics from the first batch it is given).</summary>
public sealed class ReviewKeywordCache(IKeywordExtractor extractor)
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<ReviewKeyword>> _byReview = new(StringComparer.Ordinal);
    private bool _prepared;

    public IKeywordExtractor Extractor => extractor;

    /// <summary>Learns corpus statistics from <paramref name="corpus"/>; without it, the first reviews passed to <see cref="EnsureAsync"/> are the corpus.</summary>
    public async Task PrepareAsync(IReadOnlyList<Review> corpus, CancellationToken cancellationToken)
    {
        await extractor.PrepareAsync(corpus, cancellationToken).ConfigureAwait(false);
        _prepared = true;
    }

    public async Task EnsureAsync(IReadOnlyList<Review> reviews, CancellationToken cancellationToken, IProgress<int>? progress = null)
    {
        if (!_prepared)
        {
            await PrepareAsync(reviews, cancellationToken).ConfigureAwait(false);
        }

        var missing = reviews.Where(r => !_byReview.ContainsKey(r.Id)).ToList();
        var done = 0;
        foreach (var chunk in missing.Chunk(256))
        {
            var result = await extractor.ExtractAsync(chunk, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                _byReview[chunk[i].Id] = result[i];
            }

            done += chunk.Length;
            progress?.Report(done);
        }
    }

    public IReadOnlyList<ReviewKeyword> Get(string reviewId) => _byReview.GetValueOrDefault(reviewId) ?? [];
}
