using System.CommandLine;
using Explainer.Cli.Commands;

namespace Explainer.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string> AllCommands()
    {
        var data = new TheoryData<string>();
        void Walk(Command command, string path)
        {
            data.Add(path);
            foreach (var sub in command.Subcommands)
            {
                Walk(sub, (path + " " + sub.Name).Trim());
            }
        }

        Walk(RootCommandFactory.Create(), string.Empty);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllCommands))]
    public async Task Every_command_has_help(string command)
    {
        var (code, output) = await CliRunner.RunAsync([.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries), "--help"]);

        Assert.Equal(0, code);
        Assert.Contains("Usage:", output, StringComparison.Ordinal);
        Assert.Contains("--db", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ingest_then_stats_on_the_real_amazon_data()
    {
        var db = _dir.File("x.db");
        var (code, output) = await CliRunner.RunAsync("ingest", "amazon", "--reviews", TestPaths.AmazonReviews, "--items", TestPaths.AmazonItems, "--db", db);
        Assert.Equal(0, code);
        Assert.Contains("10,261 new reviews, 1,429 new users, 900 new items", output, StringComparison.Ordinal);

        var (statsCode, stats) = await CliRunner.RunAsync("stats", "--db", db, "--json");
        Assert.Equal(0, statsCode);
        Assert.Contains("\"reviews\": 10261", stats, StringComparison.Ordinal);

        var (againCode, again) = await CliRunner.RunAsync("ingest", "amazon", "--reviews", TestPaths.AmazonReviews, "--db", db);
        Assert.Equal(0, againCode);
        Assert.Contains("0 new reviews, 0 new users, 0 new items", again, StringComparison.Ordinal);
        Assert.Equal(stats, (await CliRunner.RunAsync("stats", "--db", db, "--json")).Output);
    }

    [Fact]
    public async Task Bad_input_is_one_clear_line_and_exit_code_1()
    {
        var db = _dir.File("x.db");
        var (code, output) = await CliRunner.RunAsync("ingest", "amazon", "--reviews", _dir.File("nope.csv"), "--db", db);
        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("nope.csv: file not found.", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);

        var (statsCode, stats) = await CliRunner.RunAsync("stats", "--db", _dir.File("typo.db"));
        Assert.Equal(ExitCodes.Failed, statsCode);
        Assert.Contains("No store at", stats, StringComparison.Ordinal);
        Assert.False(File.Exists(_dir.File("typo.db")));

        var (usageCode, usage) = await CliRunner.RunAsync("ingest", "amazon", "--db", db);
        Assert.NotEqual(0, usageCode);
        Assert.Contains("--reviews", usage, StringComparison.Ordinal);
    }
}
