using System.Globalization;
using System.Text.RegularExpressions;

namespace Explainer.Tests.Cli;

/// <summary>`explainer bench` as a user runs it, on synthetic data only (the figures themselves are reported, not asserted).</summary>
public sealed partial class BenchCommandTests
{
    [Fact]
    public async Task Synthetic_bench_prints_the_top_k_and_whole_ranker_tables_with_recall_against_exact()
    {
        // 5,000 items is above Ranking:ExactKeywordItems (4,096), so the candidate path is what is timed and compared.
        var (code, output) = await CliRunner.RunAsync("bench", "--synthetic-only", "--sizes", "2000", "--ranker-sizes", "5000");

        Assert.True(code == 0, output);
        Assert.Contains("Top-10 query p50", output, StringComparison.Ordinal);
        var row = RankerRow().Match(output);
        Assert.True(row.Success, output);
        Assert.Equal("5,000", row.Groups["items"].Value);
        var recall = double.Parse(row.Groups["recall"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(recall, 0.95, 1.0);
    }

    [Fact]
    public async Task Bench_on_a_store_without_profiles_says_what_to_run()
    {
        using var dir = new TempDir();
        var db = dir.File("ingested.db");
        var (missingCode, missing) = await CliRunner.RunAsync("--db", db, "bench", "--sizes", "1000", "--ranker-sizes", "1000");
        Assert.Equal(1, missingCode);
        Assert.Contains($"No store at {db}", missing, StringComparison.Ordinal);

        Assert.Equal(0, (await CliRunner.RunAsync("--db", db, "ingest", "amazon", "--reviews", TestPaths.AmazonReviews, "--items", TestPaths.AmazonItems)).ExitCode);
        var (code, output) = await CliRunner.RunAsync("--db", db, "bench", "--sizes", "1000", "--ranker-sizes", "1000");
        Assert.Equal(1, code);
        Assert.Contains("No user has a profile in this store: run `explainer enrich` and `explainer index` first", output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"│\s*(?<items>[\d,]+)\s*│\s*40\s*│\s*[\d.]+ ms\s*│\s*[\d.]+ ms\s*│\s*[\d.]+ ms\s*│\s*(?<recall>[\d.]+)\s*│")]
    private static partial Regex RankerRow();
}
