using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Explainer.Storage;

namespace Explainer.Api.Tests;

/// <summary>`explainer chat` as a separate process with a scripted stdin, on the store built from the real data.</summary>
[Collection(RealStoreCollection.Name)]
public sealed partial class ChatProcessTests(RealStoreFixture fixture)
{
    [Fact]
    public async Task Scripted_session_recommends_takes_feedback_explains_and_quits_with_0()
    {
        var db = fixture.Copy("chat.db");
        string[] script =
        [
            "recommend me something",
            "not the first one",
            "why number 2?",
            "a cheap tuner for my ukulele",
            "more like number 1",
            "not the tuners",
            "I don't like number 3",
            "/profile",
            "?!?",
            "/frobnicate",
            "/help",
            "/quit",
            "recommend me something", // never read: /quit ended the chat
        ];

        var (code, output, errors) = await CliProcess.RunAsync(["chat", "--db", db, "--user", RealStoreFixture.User], script);
        Assert.True(code == 0, $"exit code {code}\nstdout:\n{output}\nstderr:\n{errors}");
        Assert.DoesNotContain("Exception", output + errors, StringComparison.Ordinal);

        var turns = CliProcess.Turns(output);
        Assert.Equal(script.Length - 1, turns.Count);

        // "recommend me something": 10 items, numbered 1..10.
        var first = CliProcess.Items(turns[0]);
        Assert.Equal(Enumerable.Range(1, 10), first.Select(i => i.Rank));

        // "not the first one": stored as not-interested, and gone from the next list.
        var second = CliProcess.Items(turns[1]);
        Assert.Equal(10, second.Count);
        Assert.DoesNotContain(second, i => i.Id == first[0].Id);
        Assert.Equal(first[1].Id, second[0].Id);

        // "why number 2?": the explanation of the second item of the current list.
        Assert.Contains($"Why #2", turns[2], StringComparison.Ordinal);
        AssertExplanation(turns[2], db);

        // "a cheap tuner for my ukulele": a price bound and a query.
        var tuners = CliProcess.Items(turns[3]);
        Assert.NotEmpty(tuners);
        Assert.All(tuners, i => Assert.True(i.Price is <= 25m, $"{i.Title} costs {i.Price}"));
        Assert.Contains(tuners.Take(3), i => i.Title.Contains("tuner", StringComparison.OrdinalIgnoreCase));

        // "more like number 1": a new list without #1 itself.
        var like = CliProcess.Items(turns[4]);
        Assert.NotEmpty(like);
        Assert.DoesNotContain(like, i => i.Id == tuners[0].Id);

        // "not the tuners": no item with "tuner" in title or category.
        var noTuners = CliProcess.Items(turns[5]);
        Assert.NotEmpty(noTuners);
        Assert.DoesNotContain(noTuners, i => i.Title.Contains("tuner", StringComparison.OrdinalIgnoreCase) || i.Category.Contains("tuner", StringComparison.OrdinalIgnoreCase));

        // "I don't like number 3": stored as a dislike.
        var disliked = noTuners[2].Id;
        Assert.DoesNotContain(CliProcess.Items(turns[6]), i => i.Id == disliked);

        Assert.Contains("Interest profile of " + RealStoreFixture.User, turns[7], StringComparison.Ordinal);
        Assert.Contains("I didn't get that", turns[8], StringComparison.Ordinal);
        Assert.Contains("I didn't get that", turns[9], StringComparison.Ordinal);
        Assert.Contains("more like number 2", turns[10], StringComparison.Ordinal);

        using var store = ExplainerStore.Open(db, create: false);
        var feedback = store.FeedbackByUser(RealStoreFixture.User).ToDictionary(f => f.ItemId, f => f.Kind);
        Assert.Equal(FeedbackKind.NotInterested, feedback[first[0].Id]);
        Assert.Equal(FeedbackKind.Dislike, feedback[disliked]);
    }

    [Fact]
    public async Task Cold_session_without_user_and_end_of_input_exit_0()
    {
        var db = fixture.Copy("cold.db");
        var (code, output, errors) = await CliProcess.RunAsync(["chat", "--db", db], ["recommend me something", "a quiet practice amp", "not the first one", "I like number 1", "/profile"]);
        Assert.True(code == 0, $"exit code {code}\n{output}\n{errors}");
        var turns = CliProcess.Turns(output);
        Assert.Equal(10, CliProcess.Items(turns[0]).Count); // popular items
        var amps = CliProcess.Items(turns[1]);
        Assert.Equal(10, amps.Count);
        Assert.DoesNotContain(CliProcess.Items(turns[2]), i => i.Id == amps[0].Id);
        Assert.Contains("liked in this session", turns[4], StringComparison.Ordinal);

        var (unknown, _, unknownErrors) = await CliProcess.RunAsync(["chat", "--db", db, "--user", "NOBODY"], ["/quit"]);
        Assert.Equal(1, unknown);
        Assert.Contains("Unknown user 'NOBODY'", unknownErrors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ctrl_C_twice_when_idle_exits_0()
    {
        var db = fixture.Copy("sigint.db");
        var start = CliProcess.Start(["chat", "--db", db, "--user", RealStoreFixture.User]);
        using var process = Process.Start(start)!;
        var warned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var errors = new StringBuilder();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } line)
            {
                lock (errors)
                {
                    errors.AppendLine(line);
                }

                if (line.Contains("Press Ctrl+C again", StringComparison.Ordinal))
                {
                    warned.TrySetResult();
                }
            }
        });
        await process.StandardInput.WriteLineAsync("recommend me something");
        await process.StandardInput.FlushAsync();
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("10. ", StringComparison.Ordinal))
        {
        }

        Assert.NotNull(line); // the answer arrived; the chat now waits for input

        // The last line of an answer can be read before the answer is over: a press that lands then cancels nothing.
        // Press until the idle warning comes (the outcome, not a race, decides), then once more to leave.
        for (var press = 0; press < 10 && !warned.Task.IsCompleted; press++)
        {
            await SignalAsync(process.Id);
            await Task.WhenAny(warned.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        }

        Assert.True(warned.Task.IsCompleted, $"no idle warning after 10 presses; stderr:\n{errors}");
        Assert.False(process.HasExited, "one idle Ctrl+C only warns");
        await SignalAsync(process.Id);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"explainer chat did not exit within 60 s of the second idle Ctrl+C; stderr:\n{errors}");
        }

        await stderr;
        Assert.Equal(0, process.ExitCode);
    }

    [Fact]
    public async Task Ctrl_C_during_an_answer_cancels_it_and_the_chat_goes_on()
    {
        var db = fixture.Copy("cancel.db");
        // The first answer is held until the Ctrl+C lands (a test hook), so the press always finds an answer to cancel.
        var start = CliProcess.Start(["chat", "--db", db, "--user", RealStoreFixture.User], new Dictionary<string, string?> { ["EXPLAINER_CHAT_HOLD_FIRST_ANSWER"] = "1" });
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var output = new StringBuilder();
        async Task<string> ReadUntilAsync(Func<string, bool> stop)
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                output.AppendLine(line);
                if (stop(line))
                {
                    return line;
                }
            }

            throw new InvalidOperationException($"stdout ended early:\n{output}\nstderr:\n{await stderr}");
        }

        try
        {
            // The answer begins before the echo, so a Ctrl+C after the echo lands inside it (held by the hook).
            await process.StandardInput.WriteLineAsync("recommend me something");
            await process.StandardInput.FlushAsync();
            await ReadUntilAsync(l => l == "> recommend me something");
            await SignalAsync(process.Id);
            await ReadUntilAsync(l => l.StartsWith("(cancelled)", StringComparison.Ordinal) || CliProcess.ItemLine().IsMatch(l));

            // The chat goes on: the next line gets its answer.
            await process.StandardInput.WriteLineAsync("recommend me something");
            await process.StandardInput.FlushAsync();
            await ReadUntilAsync(l => l.StartsWith("10. ", StringComparison.Ordinal));
            await process.StandardInput.WriteLineAsync("/quit");
            await process.StandardInput.FlushAsync();
            output.Append(await process.StandardOutput.ReadToEndAsync(timeout.Token));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"explainer chat did not finish:\n{output}\nstderr:\n{await stderr}");
        }

        var text = output.ToString();
        var errors = await stderr;
        Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}\nstdout:\n{text}\nstderr:\n{errors}");
        Assert.DoesNotContain("Exception", text + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Press Ctrl+C again", errors, StringComparison.Ordinal); // the press cancelled the answer, it was not an idle one

        var turns = CliProcess.Turns(text);
        Assert.True(turns.Count == 3, $"expected 3 turns in:\n{text}");
        Assert.Equal("(cancelled)", turns[0].Trim());
        Assert.Empty(CliProcess.Items(turns[0]));
        Assert.Equal(Enumerable.Range(1, 10), CliProcess.Items(turns[1]).Select(i => i.Rank));
    }

    private static async Task SignalAsync(int pid)
    {
        using var kill = Process.Start("kill", ["-INT", pid.ToString(CultureInfo.InvariantCulture)])!;
        await kill.WaitForExitAsync();
    }

    private static void AssertExplanation(string turn, string db)
    {
        Assert.DoesNotContain("not available", turn, StringComparison.Ordinal);
        Assert.Contains("Why #", turn, StringComparison.Ordinal);
        using var store = ExplainerStore.Open(db, create: false);
        var words = string.Join("\n", store.Reviews().Select(r => $"{r.Summary}\n{r.Text}")).ToLowerInvariant();

        // A quote (the user's words or a reviewer's) may be cut with "..." marks: each piece must be in a real review.
        var quotes = Quoted().Matches(turn)
            .SelectMany(m => m.Groups[1].Value.ToLowerInvariant().Split(["...", "…"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(q => q.Length >= 4).ToList();
        Assert.All(quotes, q => Assert.True(words.Contains(q, StringComparison.Ordinal), $"'{q}' is in no review:\n{turn}"));
        Assert.True(turn.Split('\n').Any(l => l.Trim().Length > 40), $"no explanation text in:\n{turn}");
    }

    [GeneratedRegex("[\"“]([^\"”]{4,})[\"”]")]
    private static partial Regex Quoted();
}
