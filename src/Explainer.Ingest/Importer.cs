using System.Diagnostics;
using Explainer.Core.Domain;
using Explainer.Core.Ingest;
using Explainer.Ingest.Formats;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Ingest;

/// <summary>
/// Imports source files into the store as one transaction: a file that cannot be read, a malformed row under
/// <c>--strict</c>, or cancellation leaves the store exactly as it was. Readers stream, so memory stays flat
/// however large the files are.
/// </summary>
public sealed class Importer(IIngestTarget target, bool strict = false, IProgress<IngestProgress>? progress = null, ILogger<Importer>? logger = null)
{
    private const int ProgressEveryRows = 2000;
    private readonly ILogger _logger = logger ?? NullLogger<Importer>.Instance;

    /// <summary>Amazon reviews and/or item metadata; metadata is read first so reviews find their items.</summary>
    public Task<IngestSummary> ImportAmazonAsync(string? reviews, string? items, CancellationToken cancellationToken = default)
    {
        var steps = new List<Step>();
        if (items is not null)
        {
            steps.Add(new Step(items, "Amazon items", ImportAmazonItems));
        }

        if (reviews is not null)
        {
            steps.Add(new Step(reviews, "Amazon reviews", ImportAmazonReviews));
        }

        return RunAsync(steps, cancellationToken);
    }

    /// <summary>MovieLens movies, then tags (as attributes of the movies), then ratings.</summary>
    public Task<IngestSummary> ImportMovieLensAsync(string? ratings, string? movies, string? tags, CancellationToken cancellationToken = default)
    {
        var steps = new List<Step>();
        if (movies is not null)
        {
            steps.Add(new Step(movies, "MovieLens movies", ImportMovies));
        }

        if (tags is not null)
        {
            steps.Add(new Step(tags, "MovieLens tags", ImportTags));
        }

        if (ratings is not null)
        {
            steps.Add(new Step(ratings, "MovieLens ratings", ImportRatings));
        }

        return RunAsync(steps, cancellationToken);
    }

    /// <summary>Reviews from any CSV or JSON-lines file through a column mapping; optionally items from another mapped file first.</summary>
    public Task<IngestSummary> ImportMappedAsync(string? reviews, ReviewColumns? reviewColumns, string? items, ItemColumns? itemColumns, CancellationToken cancellationToken = default)
    {
        var steps = new List<Step>();
        if (items is not null)
        {
            var columns = itemColumns ?? throw new ArgumentNullException(nameof(itemColumns));
            steps.Add(new Step(items, "items (mapped)", (source, session, context) =>
            {
                foreach (var row in Mapped.Items(source, columns))
                {
                    if (Accept(row, context) is { } item)
                    {
                        UpsertItem(session, context, item);
                    }
                }
            }));
        }

        if (reviews is not null)
        {
            var columns = reviewColumns ?? throw new ArgumentNullException(nameof(reviewColumns));
            steps.Add(new Step(reviews, "reviews (mapped)", (source, session, context) => ImportMappedReviews(source, session, context, columns)));
        }

        return RunAsync(steps, cancellationToken);
    }

    private void ImportMappedReviews(SourceFile source, IIngestSession session, Context context, ReviewColumns columns)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in Mapped.Reviews(source, columns))
        {
            if (Accept(row, context) is not { } parsed)
            {
                continue;
            }

            var review = parsed.Review;
            if (!names.TryGetValue(review.UserId, out var name) || name is null)
            {
                names[review.UserId] = parsed.UserName;
            }

            // A title on the review row stands in for metadata, unless a metadata row of this import already gave the item.
            if ((parsed.ItemTitle is not null || parsed.ItemCategories.Count > 0) && !context.ItemRowsSeen.Contains(review.ItemId))
            {
                UpsertItem(session, context, new Item { Id = review.ItemId, Title = parsed.ItemTitle, Categories = parsed.ItemCategories });
            }

            UpsertReview(session, context, review);
        }

        foreach (var (id, name) in names)
        {
            var outcome = session.UpsertUser(new User { Id = id, Name = name });
            if (context.UsersSeen.Add(id))
            {
                context.Summary.Users.Count(outcome);
            }
        }
    }

    private delegate void StepAction(SourceFile source, IIngestSession session, Context context);

    private sealed record Step(string Path, string Kind, StepAction Action);

    /// <summary>Per-import state: the summary, and what has been upserted already in this import.</summary>
    private sealed class Context(IngestSummary summary, CancellationToken cancellationToken)
    {
        public IngestSummary Summary { get; } = summary;

        public CancellationToken CancellationToken { get; } = cancellationToken;

        public FileSummary File { get; set; } = null!;

        public HashSet<string> UsersSeen { get; } = new(StringComparer.Ordinal);

        public HashSet<string> ItemsSeen { get; } = new(StringComparer.Ordinal);

        /// <summary>Review ids read in this import: a second row with the same id is a duplicate (the first is kept).</summary>
        public HashSet<string> ReviewsSeen { get; } = new(StringComparer.Ordinal);

        /// <summary>Item ids whose metadata row was read in this import.</summary>
        public HashSet<string> ItemRowsSeen { get; } = new(StringComparer.Ordinal);

        public Action<long> Tick { get; set; } = _ => { };
    }

    private Task<IngestSummary> RunAsync(List<Step> steps, CancellationToken cancellationToken)
    {
        if (steps.Count == 0)
        {
            throw new ArgumentException("Nothing to import: name at least one file.");
        }

        // Fail before touching the store when a file is missing.
        foreach (var step in steps)
        {
            if (!File.Exists(step.Path))
            {
                throw new IngestException(step.Path, null, Directory.Exists(step.Path) ? "is a directory, not a file." : "file not found.");
            }
        }

        // LiteDB transactions belong to the thread that began them, so the whole import runs on one thread.
        return Task.Factory.StartNew(() => Run(steps, cancellationToken), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    private IngestSummary Run(List<Step> steps, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var summary = new IngestSummary();
        var context = new Context(summary, cancellationToken);
        var bytesTotal = steps.Sum(s => new FileInfo(s.Path).Length);
        long bytesBefore = 0;

        using (var session = target.BeginIngest())
        {
            for (var i = 0; i < steps.Count; i++)
            {
                var step = steps[i];
                using var source = SourceFile.Open(step.Path);
                context.File = new FileSummary(step.Path, step.Kind);
                summary.Files.Add(context.File);
                var index = i;
                var before = bytesBefore;
                context.Tick = rows => progress?.Report(new IngestProgress(step.Path, index, steps.Count, before + source.Position, bytesTotal, rows));
                _logger.LogInformation("Reading {Kind} from {Path}", step.Kind, step.Path);

                step.Action(source, session, context);

                context.File.InvalidUtf8 = source.InvalidUtf8;
                if (source.InvalidUtf8 > 0)
                {
                    _logger.LogWarning("{Path}: {Count} byte sequences were not valid UTF-8 and were replaced by U+FFFD", step.Path, source.InvalidUtf8);
                }

                context.Tick(context.File.RowsRead);
                bytesBefore += source.Length;
            }

            cancellationToken.ThrowIfCancellationRequested();
            session.Commit();
        }

        summary.Elapsed = clock.Elapsed;
        return summary;
    }

    /// <summary>Counts a row; returns its value, or null after recording (or, when strict, throwing) its problem.</summary>
    private T? Accept<T>(Row<T> row, Context context)
        where T : class
    {
        var file = context.File;
        file.RowsRead++;
        if (file.RowsRead % ProgressEveryRows == 0)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            context.Tick(file.RowsRead);
        }

        if (row.Problem is { } problem)
        {
            if (strict)
            {
                throw new MalformedRowException(problem);
            }

            file.Skip(problem);
            return null;
        }

        return row.Value;
    }

    private void ImportAmazonItems(SourceFile source, IIngestSession session, Context context)
    {
        foreach (var row in AmazonItems.Read(source))
        {
            if (Accept(row, context) is { } item)
            {
                UpsertItem(session, context, item);
            }
        }
    }

    private void ImportAmazonReviews(SourceFile source, IIngestSession session, Context context)
    {
        var names = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var row in AmazonReviews.Read(source))
        {
            if (Accept(row, context) is not { } parsed)
            {
                continue;
            }

            var review = parsed.Review;

            // Users are written once, after the file, with the first name given: the same file always gives the same record.
            if (!names.TryGetValue(review.UserId, out var name) || name is null)
            {
                names[review.UserId] = parsed.ReviewerName;
            }

            UpsertReview(session, context, review);
        }

        foreach (var (id, name) in names)
        {
            var outcome = session.UpsertUser(new User { Id = id, Name = name });
            if (context.UsersSeen.Add(id))
            {
                context.Summary.Users.Count(outcome);
            }
        }
    }

    private void ImportMovies(SourceFile source, IIngestSession session, Context context)
    {
        foreach (var row in MovieLens.Movies(source))
        {
            if (Accept(row, context) is { } item)
            {
                UpsertItem(session, context, item);
            }
        }
    }

    private void ImportTags(SourceFile source, IIngestSession session, Context context)
    {
        foreach (var row in MovieLens.Tags(source))
        {
            if (Accept(row, context) is { } tag)
            {
                EnsureItem(session, context, tag.ItemId);
                session.AddItemAttributes(tag.ItemId, "tag", [tag.Tag]);
            }
        }
    }

    private void ImportRatings(SourceFile source, IIngestSession session, Context context)
    {
        foreach (var row in MovieLens.Ratings(source))
        {
            if (Accept(row, context) is not { } review)
            {
                continue;
            }

            if (context.UsersSeen.Add(review.UserId))
            {
                context.Summary.Users.Count(session.UpsertUser(new User { Id = review.UserId }));
            }

            UpsertReview(session, context, review);
        }
    }

    /// <summary>A metadata row: the first one per item in this import is stored; later ones are counted as duplicates.</summary>
    private static void UpsertItem(IIngestSession session, Context context, Item item)
    {
        if (!context.ItemRowsSeen.Add(item.Id))
        {
            context.Summary.Items.DuplicateInFile++;
            return;
        }

        context.ItemsSeen.Add(item.Id);
        context.Summary.Items.Count(session.UpsertItem(item));
    }

    private static void UpsertReview(IIngestSession session, Context context, Review review)
    {
        if (!context.ReviewsSeen.Add(review.Id))
        {
            context.Summary.Reviews.DuplicateInFile++;
            return;
        }

        EnsureItem(session, context, review.ItemId);
        context.Summary.Reviews.Count(session.UpsertReview(review));
    }

    private static void EnsureItem(IIngestSession session, Context context, string itemId)
    {
        if (context.ItemsSeen.Add(itemId) && session.EnsureItem(itemId) == UpsertOutcome.Added)
        {
            context.Summary.ItemsWithoutMetadata++;
            context.Summary.Items.Added++;
        }
    }
}
