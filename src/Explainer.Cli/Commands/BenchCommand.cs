using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Explainer.Core.Explaining;
using Explainer.Core.Ranking;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Explainer.Evaluation;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer bench</c>: reported figures (not tests) for ranking speed.</summary>
public sealed class BenchCommand : ExplainerCommand
{
    private readonly Option<int> _users = new("--users") { Description = "How many users to time `recommend` for (warm, after one untimed call each).", DefaultValueFactory = _ => 300 };
    private readonly Option<string> _sizes = new("--sizes") { Description = "Catalog sizes of synthetic item vectors for the top-10 query timing.", DefaultValueFactory = _ => "10000,100000,1000000" };
    private readonly Option<int> _dimension = new("--dimension") { Description = "Dimension of the synthetic vectors.", DefaultValueFactory = _ => 256 };
    private readonly Option<string> _rankerSizes = new("--ranker-sizes") { Description = "Catalog sizes of the synthetic whole-ranker timing (exact keyword part against candidates).", DefaultValueFactory = _ => "10000,90000" };
    private readonly Option<bool> _explained = new("--explained") { Description = "Also time recommendations with their explanations (the first pass writes the missing ones to the store, as `recommend --explain` does; timed passes read them)." };
    private readonly Option<bool> _skipStore = new("--synthetic-only") { Description = "Only the synthetic top-10 timing (no store needed)." };

    public BenchCommand()
        : base("bench", "Benchmarks: warm `recommend` latency (p50/p99) on the store, and top-10 query time over 10k/100k/1M synthetic item vectors.")
    {
        Options.Add(_users);
        Options.Add(_sizes);
        Options.Add(_dimension);
        Options.Add(_rankerSizes);
        Options.Add(_explained);
        Options.Add(_skipStore);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var console = context.Console;
        console.MarkupLine($"Machine: {Environment.ProcessorCount} logical cores, {RuntimeInformationText()}");
        if (!parseResult.GetValue(_skipStore))
        {
            var service = context.Get<RecommendationService>();
            var store = context.Get<IRecommenderStore>();
            var users = store.Users().Select(u => u.Id).Where(id => store.FindProfile(id) is not null).Take(parseResult.GetValue(_users)).ToList();
            if (users.Count == 0)
            {
                console.MarkupLine("[red]No user has a profile in this store:[/] run `explainer enrich` and `explainer index` first, or use --synthetic-only.");
                return ExitCodes.Failed;
            }

            var clock = Stopwatch.StartNew();
            await service.ForUserAsync(users[0], 10, 0, cancellationToken).ConfigureAwait(false);
            console.MarkupLine(service.LoadedFromSnapshot
                ? $"First recommend (reads the serving snapshot `explainer index` saved): {clock.Elapsed.TotalMilliseconds:F0} ms"
                : $"First recommend (no current serving snapshot: reads vectors and ratings, fits the collaborative model): {clock.Elapsed.TotalMilliseconds:F0} ms");
            console.MarkupLineInterpolated($"Collaborative model: {service.CollaborativeModel}");
            var plain = await TimeWarmAsync(users, user => service.ForUserAsync(user, 10, 0, cancellationToken), cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"recommend -k 10, {users.Count} users, {plain}");
            if (parseResult.GetValue(_explained))
            {
                var explainer = context.Get<IExplanationService>();
                var explained = await TimeWarmAsync(
                    users,
                    async user => await explainer.ExplainAllAsync(await service.RecommendAsync(new RecommendationRequest { UserId = user, K = 10 }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false),
                    cancellationToken).ConfigureAwait(false);
                console.MarkupLine($"recommend -k 10 with stored explanations, {users.Count} users, {explained}");
            }
        }

        var dimension = parseResult.GetValue(_dimension);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Items", "Dimension", "Top-10 query p50", "p99", "Queries");
        foreach (var size in parseResult.GetValue(_sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (p50, p99, n) = SyntheticTopK(size, dimension);
            table.AddRow(size.ToString("N0", CultureInfo.InvariantCulture), dimension.ToString(CultureInfo.InvariantCulture), $"{p50:F2} ms", $"{p99:F2} ms", n.ToString(CultureInfo.InvariantCulture));
        }

        if (table.Rows.Count > 0)
        {
            console.Write(table);
        }

        var ranking = new Table().Border(TableBorder.Rounded).AddColumns("Items", "Keywords", "Exact p50", "Candidates p50", "p99", "Recall@10", "Requests");
        foreach (var size in parseResult.GetValue(_rankerSizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var r = SyntheticRanking(size, dimension, cancellationToken);
            ranking.AddRow(size.ToString("N0", CultureInfo.InvariantCulture), SyntheticKeywords.ToString(CultureInfo.InvariantCulture), $"{r.ExactP50:F2} ms", $"{r.P50:F2} ms", $"{r.P99:F2} ms", r.Recall.ToString("F3", CultureInfo.InvariantCulture), r.Requests.ToString(CultureInfo.InvariantCulture));
        }

        if (ranking.Rows.Count == 0)
        {
            return ExitCodes.Ok;
        }

        console.MarkupLine("Whole ranker, one top-10 request (all score parts, item-kNN, 40-keyword profiles, clustered synthetic items): exact keyword part vs exact only for candidates, and the candidates' recall@10 against exact:");
        console.Write(ranking);
        return ExitCodes.Ok;
    }

    /// <summary>Top-10 by cosine over <paramref name="size"/> random unit vectors: one SIMD scoring pass plus heap selection.</summary>
    private static (double P50, double P99, int Queries) SyntheticTopK(int size, int dimension)
    {
        var random = new Random(7);
        var vectors = new float[size][];
        for (var i = 0; i < size; i++)
        {
            vectors[i] = new float[dimension];
            for (var d = 0; d < dimension; d++)
            {
                vectors[i][d] = (float)((random.NextDouble() * 2) - 1);
            }
        }

        var index = new ItemVectorIndex(dimension, vectors);
        vectors = null;
        var scores = new float[size];
        var queries = size >= 1_000_000 ? 20 : size >= 100_000 ? 100 : 500;
        var times = new List<double>();
        var clock = new Stopwatch();
        for (var q = 0; q < queries + 3; q++)
        {
            var query = index.Vector(random.Next(size)).ToArray();
            clock.Restart();
            index.Similarities(query, scores);
            _ = ItemVectorIndex.TopK(scores, 10);
            if (q >= 3)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return (Percentile(times, 0.5), Percentile(times, 0.99), queries);
    }

    /// <summary>
    /// Times one call per user after warm-up passes over all of them (at least three and six seconds, so the JIT has
    /// promoted the hot methods to tier 1 — with two seconds the first timed pass still paid for background recompiles, its
    /// process CPU above its wall time; earlier figures measured unoptimised code). CPU is the whole process's
    /// (GC and JIT threads included) divided by the calls.
    /// </summary>
    private static async Task<string> TimeWarmAsync(IReadOnlyList<string> users, Func<string, Task> call, CancellationToken cancellationToken)
    {
        var warm = Stopwatch.StartNew();
        for (var pass = 0; pass < 3 || warm.Elapsed < TimeSpan.FromSeconds(6); pass++)
        {
            foreach (var user in users)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await call(user).ConfigureAwait(false);
            }
        }

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var times = new List<double>(users.Count);
        var clock = new Stopwatch();
        foreach (var user in users)
        {
            clock.Restart();
            await call(user).ConfigureAwait(false);
            times.Add(clock.Elapsed.TotalMilliseconds);
        }

        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalMilliseconds / users.Count;
        times.Sort();
        return $"warm after tiering: p50 {Percentile(times, 0.5):F2} ms, p99 {Percentile(times, 0.99):F2} ms, mean {times.Average():F2} ms; process CPU {cpu:F2} ms per request";
    }

    private const int SyntheticKeywords = 40;

    /// <summary>
    /// One top-10 request of the whole ranker per user, on <see cref="SyntheticCatalogue"/> with 40-keyword profiles:
    /// the exact keyword part (one pass per keyword) against candidates re-scored exactly, after a warm-up.
    /// </summary>
    private static (double ExactP50, double P50, double P99, double Recall, int Requests) SyntheticRanking(int size, int dimension, CancellationToken cancellationToken)
    {
        var catalogue = SyntheticCatalogue.Create(size, dimension, users: Math.Max(2000, size / 20), SyntheticKeywords, seed: 7);
        var options = new RankingOptions { EaseLambda = 0 };
        var cooccurrence = new ItemCooccurrence(catalogue.Data, options.Neighbours, options.Shrink);
        var exact = new HybridRanker(catalogue.Index, cooccurrence, catalogue.Data, options with { ExactKeywordItems = int.MaxValue });
        var fast = new HybridRanker(catalogue.Index, cooccurrence, catalogue.Data, options with { ExactKeywordItems = Math.Min(options.ExactKeywordItems, size - 1) });
        var users = catalogue.Users.Take(size >= 500_000 ? 20 : 60).ToList();
        List<double> Time(HybridRanker ranker, List<IReadOnlyList<string>> tops)
        {
            var times = new List<double>();
            var clock = new Stopwatch();
            for (var pass = 0; pass < 3; pass++)
            {
                foreach (var user in users)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    clock.Restart();
                    var top = ranker.Rank(user, catalogue.Data.ItemIds, 10);
                    if (pass == 2)
                    {
                        times.Add(clock.Elapsed.TotalMilliseconds);
                        tops.Add([.. top.Select(r => r.ItemId)]);
                    }
                }
            }

            times.Sort();
            return times;
        }

        var exactTops = new List<IReadOnlyList<string>>();
        var fastTops = new List<IReadOnlyList<string>>();
        var exactTimes = Time(exact, exactTops);
        var fastTimes = Time(fast, fastTops);
        var recall = exactTops.Zip(fastTops).Average(p => p.First.Intersect(p.Second).Count() / 10.0);
        return (Percentile(exactTimes, 0.5), Percentile(fastTimes, 0.5), Percentile(fastTimes, 0.99), recall, users.Count);
    }

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}
