using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Explainer.Core.Ranking;
using Explainer.Core.Recommending;
using Explainer.Core.Storage;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer bench</c>: reported figures (not tests) for ranking speed.</summary>
public sealed class BenchCommand : ExplainerCommand
{
    private readonly Option<int> _users = new("--users") { Description = "How many users to time `recommend` for (warm, after one untimed call each).", DefaultValueFactory = _ => 300 };
    private readonly Option<string> _sizes = new("--sizes") { Description = "Catalog sizes of synthetic item vectors for the top-10 query timing.", DefaultValueFactory = _ => "10000,100000,1000000" };
    private readonly Option<int> _dimension = new("--dimension") { Description = "Dimension of the synthetic vectors.", DefaultValueFactory = _ => 256 };
    private readonly Option<bool> _skipStore = new("--synthetic-only") { Description = "Only the synthetic top-10 timing (no store needed)." };

    public BenchCommand()
        : base("bench", "Benchmarks: warm `recommend` latency (p50/p99) on the store, and top-10 query time over 10k/100k/1M synthetic item vectors.")
    {
        Options.Add(_users);
        Options.Add(_sizes);
        Options.Add(_dimension);
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
            var clock = Stopwatch.StartNew();
            await service.ForUserAsync(users[0], 10, 0, cancellationToken).ConfigureAwait(false);
            console.MarkupLine($"First recommend (loads vectors, co-occurrence, EASE^R): {clock.Elapsed.TotalMilliseconds:F0} ms");
            var times = new List<double>();
            foreach (var user in users)
            {
                await service.ForUserAsync(user, 10, 0, cancellationToken).ConfigureAwait(false); // warm this user's keyword vectors
                clock.Restart();
                await service.ForUserAsync(user, 10, 0, cancellationToken).ConfigureAwait(false);
                times.Add(clock.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            console.MarkupLine($"recommend -k 10, warm, {users.Count} users: p50 {Percentile(times, 0.5):F2} ms, p99 {Percentile(times, 0.99):F2} ms, mean {times.Average():F2} ms");
        }

        var dimension = parseResult.GetValue(_dimension);
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Items", "Dimension", "Top-10 query p50", "p99", "Queries");
        foreach (var size in parseResult.GetValue(_sizes)!.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(s => int.Parse(s, CultureInfo.InvariantCulture)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (p50, p99, n) = SyntheticTopK(size, dimension);
            table.AddRow(size.ToString("N0", CultureInfo.InvariantCulture), dimension.ToString(CultureInfo.InvariantCulture), $"{p50:F2} ms", $"{p99:F2} ms", n.ToString(CultureInfo.InvariantCulture));
        }

        console.Write(table);
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

    private static double Percentile(List<double> sorted, double q) => sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(q * sorted.Count) - 1)];

    private static string RuntimeInformationText() =>
        $"{System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}";
}
