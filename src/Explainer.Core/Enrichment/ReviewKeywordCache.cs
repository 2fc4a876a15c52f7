using System.Collections.Concurrent;
using System.Text;
using Explainer.Core.Domain;

namespace Explainer.Core.Enrichment;

/// <summary>
/// Per-review keywords, extracted once (the extractor learns corpus statistics from the first batch it is given). With
/// <c>spill</c> the keywords go to a temporary file and only their offsets stay in memory: enrichment extracts every
/// review in the items pass and reads them again in the users pass, and at 1M reviews holding them (evidence
/// sentences included) would take gigabytes. The file has no name once created (Unix) and is gone when the cache is
/// disposed or the process ends, however it ends.
/// </summary>
public sealed class ReviewKeywordCache(IKeywordExtractor extractor, bool spill = false) : IDisposable
{
    private readonly ConcurrentDictionary<string, IReadOnlyList<ReviewKeyword>> _byReview = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly Lock _fileGate = new();
    private FileStream? _file;
    private bool _prepared;

    public IKeywordExtractor Extractor => extractor;

    /// <summary>Learns corpus statistics from <paramref name="corpus"/> (read once, streamed); without it, the first reviews passed to <see cref="EnsureAsync"/> are the corpus.</summary>
    public async Task PrepareAsync(IEnumerable<Review> corpus, CancellationToken cancellationToken)
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

        var missing = reviews.Where(r => !Has(r.Id)).DistinctBy(r => r.Id, StringComparer.Ordinal).ToList();
        var done = 0;
        foreach (var chunk in missing.Chunk(256))
        {
            var result = await extractor.ExtractAsync(chunk, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                Put(chunk[i].Id, result[i]);
            }

            done += chunk.Length;
            progress?.Report(done);
        }
    }

    public IReadOnlyList<ReviewKeyword> Get(string reviewId)
    {
        if (!spill)
        {
            return _byReview.GetValueOrDefault(reviewId) ?? [];
        }

        lock (_fileGate)
        {
            if (_file is null || !_offsets.TryGetValue(reviewId, out var offset))
            {
                return [];
            }

            _file.Position = offset;
            using var reader = new BinaryReader(_file, Encoding.UTF8, leaveOpen: true);
            var keywords = new ReviewKeyword[reader.ReadInt32()];
            for (var i = 0; i < keywords.Length; i++)
            {
                keywords[i] = new ReviewKeyword(reader.ReadString(), reader.ReadString(), reader.ReadDouble(), (Polarity)reader.ReadInt32(), reader.ReadString(), reader.ReadDouble());
            }

            return keywords;
        }
    }

    private bool Has(string reviewId)
    {
        if (!spill)
        {
            return _byReview.ContainsKey(reviewId);
        }

        lock (_fileGate)
        {
            return _offsets.ContainsKey(reviewId);
        }
    }

    private void Put(string reviewId, IReadOnlyList<ReviewKeyword> keywords)
    {
        if (!spill)
        {
            _byReview[reviewId] = keywords;
            return;
        }

        lock (_fileGate)
        {
            _file ??= CreateSpillFile();
            var offset = _file.Seek(0, SeekOrigin.End);
            using (var writer = new BinaryWriter(_file, Encoding.UTF8, leaveOpen: true))
            {
                writer.Write(keywords.Count);
                foreach (var k in keywords)
                {
                    writer.Write(k.Text);
                    writer.Write(k.Lemma);
                    writer.Write(k.Score);
                    writer.Write((int)k.Polarity);
                    writer.Write(k.Sentence);
                    writer.Write(k.Sentiment);
                }
            }

            _offsets[reviewId] = offset;
        }
    }

    /// <summary>
    /// A temporary file without a name where that is possible (unlinked at once on Unix, so even a killed run leaves
    /// nothing behind); elsewhere deleted when closed. It lives in the temporary folder (TMPDIR).
    /// </summary>
    private static FileStream CreateSpillFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"explainer-keywords-{Environment.ProcessId}-{Guid.NewGuid():N}.tmp");
        var file = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose);
        if (!OperatingSystem.IsWindows())
        {
            File.Delete(path);
        }

        return file;
    }

    public void Dispose()
    {
        lock (_fileGate)
        {
            _file?.Dispose();
            _file = null;
            _offsets.Clear();
        }
    }
}
