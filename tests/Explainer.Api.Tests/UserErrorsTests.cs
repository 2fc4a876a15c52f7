using System.Net;
using System.Net.Sockets;
using Explainer.Storage;
using LiteDB;

namespace Explainer.Api.Tests;

/// <summary>What a user sees when something is wrong: one line naming what and where, an exit code, never a stack trace.</summary>
[Collection(RealStoreCollection.Name)]
public sealed class UserErrorsTests(RealStoreFixture fixture)
{
    private static void AssertOneLine(string errors, string says)
    {
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1, $"expected one line, got:\n{errors}");
        Assert.Contains(says, lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("recommend --user X -k abc", "-k: 'abc' is not a whole number")]
    [InlineData("recommend --user X -k 500", "-k must be between 1 and 100")]
    [InlineData("recommend --user X --diversity high", "--diversity: 'high' is not a number")]
    [InlineData("recomend", "Unrecognized command or argument 'recomend'")]
    [InlineData("feedback --user X --item Y", "Give exactly one of --like, --dislike, --not-interested")]
    [InlineData("enrich --engine magic", "magic")]
    public async Task A_command_line_that_does_not_parse_is_one_line_and_exit_2(string line, string says)
    {
        var (code, output, errors) = await CliProcess.RunAsync(line.Split(' '), []);
        Assert.True(code == 2, $"exit {code}\n{output}\n{errors}");
        AssertOneLine(errors, says);
        Assert.Empty(output.Trim());
    }

    [Fact]
    public async Task Stats_on_an_empty_store_and_a_damaged_schema_record_are_clear()
    {
        using var dir = new TempDir();
        var empty = dir.File("empty.db");
        ExplainerStore.Open(empty, create: true).Dispose();
        var (code, output, errors) = await CliProcess.RunAsync(["stats", "--db", empty], []);
        Assert.True(code == 0, errors);
        Assert.Contains("no reviews yet", output, StringComparison.Ordinal);

        using (var db = new LiteDatabase(new ConnectionString { Filename = empty, Connection = ConnectionType.Direct }))
        {
            db.GetCollection("meta").Update(new BsonDocument { ["_id"] = "schema", ["version"] = "2" });
        }

        var (damaged, _, damagedErrors) = await CliProcess.RunAsync(["stats", "--db", empty], []);
        Assert.Equal(1, damaged);
        AssertOneLine(damagedErrors, "damaged schema record");
    }

    [Fact]
    public async Task A_port_in_use_is_one_line_naming_it()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var (code, _, errors) = await CliProcess.RunAsync(["serve", "--db", fixture.Copy("port.db"), "--urls", $"http://127.0.0.1:{port}"], []);
        Assert.Equal(1, code);
        AssertOneLine(errors, $"127.0.0.1:{port}");
        Assert.Contains("in use", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_cuts_a_huge_line_says_when_nothing_is_understood_and_never_shows_a_rated_item_again()
    {
        var db = fixture.Copy("chat-edges.db");
        var huge = string.Concat(Enumerable.Repeat("tuner ", 900)); // 5,400 characters
        var (code, output, errors) = await CliProcess.RunAsync(["chat", "--db", db], ["recommend me something", "I like number 1", "recommend me something", "more like number 2", huge, "asdkjh qwoeiu zzzz", "/quit"]);
        Assert.True(code == 0, $"{output}\n{errors}");
        var turns = CliProcess.Turns(output);

        var liked = CliProcess.Items(turns[0])[0].Id;
        foreach (var turn in turns.Skip(1).Take(4))
        {
            Assert.DoesNotContain(CliProcess.Items(turn), i => i.Id == liked);
        }

        Assert.Contains("cut to its first 500 characters", turns[4], StringComparison.Ordinal);
        Assert.True(turns[4].Length < 6000, $"the answer to a 5,400-character line is {turns[4].Length} characters long");
        Assert.Contains("None of the words", turns[5], StringComparison.Ordinal);
        Assert.Empty(CliProcess.Items(turns[5]));
    }
}
