using System.Globalization;
using System.Text.Json;
using Explainer.Cli.Console;
using Explainer.Explaining;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer eval --explanations</c>: explanation quality over a seeded sample of users' top-k recommendations.</summary>
internal static class ExplanationsEval
{
    public static async Task<int> RunAsync(CliContext context, int users, int k, int seed, bool json, CancellationToken cancellationToken)
    {
        var evaluator = context.Get<ExplanationEvaluator>();
        var total = evaluator.SampleUsers(users, seed).Count;
        var evaluation = await ProgressDisplay.RunAsync(json ? context.Error : context.Console, context.Error, "Explaining", progress =>
            evaluator.RunAsync(users, k, seed, version: null, new Adapter(progress, total), cancellationToken)).ConfigureAwait(false);
        var m = evaluation.Metrics;
        var gold = await GoldAsync(context, cancellationToken).ConfigureAwait(false);
        if (json)
        {
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(new
            {
                engine = evaluation.Engine,
                users = m.Users,
                k,
                seed,
                explanations = m.Explanations,
                groundedPrecision = m.GroundedPrecision,
                featureMatch = m.FeatureMatch,
                uniqueSentenceRatio = m.UniqueSentenceRatio,
                meanWords = m.MeanWords,
                meanLatencyMs = m.MeanLatencyMs,
                verified = m.VerifiedShare,
                fallbacks = m.Fallbacks,
                faithfulness = m.Faithfulness,
                links = m.Links,
                linkSupport = m.LinkSupport,
                quoteReuseMax = m.QuoteReuseMax,
                quoteReuseMean = m.QuoteReuseMean,
                skeletonShare = m.SkeletonShare,
                topSkeleton = m.TopSkeleton,
                englishErrors = m.EnglishErrors,
                keywordPrecision = gold?.Precision,
                keywordRecall = gold?.Recall,
                polarityAccuracy = gold?.PolarityAccuracy,
                elapsedSeconds = evaluation.ElapsedSeconds,
            }, JsonOptions));
            return ExitCodes.Ok;
        }

        var text = string.Join('\n', [
            $"Explanations ({evaluation.Engine}): {m.Users:N0} users x top {k} = {m.Explanations:N0} explanations, seed {seed}, {evaluation.ElapsedSeconds:F1} s",
            "",
            "| Metric | Value |",
            "|---|---:|",
            $"| Faithfulness (first stated reason = top reason) | {F(m.Faithfulness)} |",
            $"| Link support ({m.Links:N0} content links) | {F(m.LinkSupport)} |",
            $"| Skeleton share (largest) | {F(m.SkeletonShare)} |",
            $"| Quote reuse, max / mean per top-{k} | {m.QuoteReuseMax} / {m.QuoteReuseMean.ToString("0.00", CultureInfo.InvariantCulture)} |",
            $"| English errors (articles, number) | {m.EnglishErrors} |",
            gold is null ? "| Keyword precision / recall / polarity (gold set) | (tests/gold not found) |" : $"| Keyword precision / recall / polarity accuracy ({gold.Sentences} gold sentences) | {F(gold.Precision)} / {F(gold.Recall)} / {F(gold.PolarityAccuracy)} |",
            $"| Grounded precision | {F(m.GroundedPrecision)} |",
            $"| Feature match | {F(m.FeatureMatch)} |",
            $"| Unique sentence ratio | {F(m.UniqueSentenceRatio)} |",
            $"| Mean length (words) | {m.MeanWords.ToString("0.0", CultureInfo.InvariantCulture)} |",
            $"| Latency per explanation (ms) | {m.MeanLatencyMs.ToString("0.00", CultureInfo.InvariantCulture)} |",
            $"| Verified | {F(m.VerifiedShare)} |",
            $"| Fallbacks to extractive | {m.Fallbacks} |",
            "",
        ]);
        context.Console.Profile.Out.Writer.Write(text);
        return ExitCodes.Ok;
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };

    /// <summary>The configured keyword engine on the hand-labelled gold set of tests/gold (null when the folder is not there).</summary>
    private static async Task<Evaluation.GoldScore?> GoldAsync(CliContext context, CancellationToken cancellationToken)
    {
        IReadOnlyList<Evaluation.GoldSentence> gold;
        try
        {
            gold = Evaluation.GoldInterests.Load();
        }
        catch (Exception ex) when (ex is IOException or DirectoryNotFoundException or FileNotFoundException)
        {
            return null;
        }

        var store = context.Get<Core.Storage.IRecommenderStore>();
        var extractor = context.Get<Core.Enrichment.IKeywordExtractor>();
        var reviews = store.Reviews().ToList();
        var wanted = gold.Select(g => g.ReviewId).ToHashSet(StringComparer.Ordinal);
        var sample = reviews.Where(r => wanted.Contains(r.Id)).ToList();
        if (sample.Count == 0)
        {
            return null; // another dataset: the gold set is of the Amazon MI reviews
        }

        await extractor.PrepareAsync(reviews, cancellationToken).ConfigureAwait(false);
        var found = await extractor.ExtractAsync(sample, cancellationToken).ConfigureAwait(false);
        var analyzer = context.Get<Core.Recommending.IQueryAnalyzer>();
        return Evaluation.GoldInterests.Score(gold, sample.Select((r, i) => (r.Id, found[i])).ToDictionary(x => x.Id, x => x.Item2, StringComparer.Ordinal),
            w => analyzer.Words(w).FirstOrDefault() ?? w.ToLowerInvariant());
    }

    private static string F(double x) => x.ToString("0.000", CultureInfo.InvariantCulture);

    private sealed class Adapter(IProgress<ProgressUpdate> inner, int total) : IProgress<(int Done, int Total)>
    {
        public void Report((int Done, int Total) value) => inner.Report(new ProgressUpdate("Explaining", value.Done, total, "users"));
    }
}
