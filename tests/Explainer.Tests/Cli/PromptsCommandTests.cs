using System.Globalization;
using System.Text.RegularExpressions;
using Explainer.Cli.Commands;
using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Explaining;
using Explainer.Storage;
using Explainer.Tests.Pipeline;

namespace Explainer.Tests.Cli;

/// <summary>
/// `explainer prompts list|show|run|compare|promote` as a user tunes the Explain prompt: on a copy of the enriched real
/// store and a copy of prompts/ (set through EXPLAINER_Explain__PromptsPath, as a user would). No LLM is configured, so
/// runs use the extractive engine; the assertions hold for whatever it produces.
/// </summary>
/// <remarks>In the pipeline collection for its store, and because the CLI runs set an environment variable (see <see cref="CliRunner"/>).</remarks>
[Collection(EnrichedStoreCollection.Name)]
public sealed partial class PromptsCommandTests : IDisposable
{
    private const string Explain = PromptLibrary.ExplainName;
    private const string Original = "in one or two short sentences";
    private const string Edited = "in one short sentence";

    private static readonly string[] AllPrompts = ["DescribeItem", "Explain", "ExtractKeywords", "ParseRequest"];

    private readonly TempDir _dir = new();
    private readonly string _db;
    private readonly string _prompts;

    public PromptsCommandTests(EnrichedStoreFixture fixture)
    {
        _db = fixture.CopyStore(_dir.File("prompts.db"));
        _prompts = TestPrompts.Copy(_dir);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_tuning_session_runs_edits_compares_and_promotes_the_Explain_prompt()
    {
        // list: the four prompts, one version each, the active one being what is on disk.
        var list = await Cli("prompts", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(_prompts, list.Output, StringComparison.Ordinal);
        foreach (var name in AllPrompts)
        {
            var row = Row(list.Output, name);
            Assert.Equal(["1", OnDisk(name), OnDisk(name)], row[1..4]);
        }

        var a = OnDisk(Explain);
        var runsBefore = int.Parse(Row(list.Output, Explain)[4], CultureInfo.InvariantCulture);

        // show: the active version with its template.
        var show = await Cli("prompts", "show", Explain);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"{Explain} {a} (active)", show.Output, StringComparison.Ordinal);
        Assert.Contains(Original, show.Output, StringComparison.Ordinal);

        // run the active version: a stored run and its metrics.
        var runA = await RunExplain(a);

        // A real wording change: a new version, active at once.
        var template = Path.Combine(_prompts, Explain, "skprompt.txt");
        var text = await File.ReadAllTextAsync(template);
        Assert.Contains(Original, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(template, text.Replace(Original, Edited, StringComparison.Ordinal));
        var b = OnDisk(Explain);
        Assert.NotEqual(a, b);

        list = await Cli("prompts", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(["2", b, b, (runsBefore + 1).ToString(CultureInfo.InvariantCulture)], Row(list.Output, Explain)[1..]);
        foreach (var name in AllPrompts.Where(n => n != Explain))
        {
            Assert.Equal(["1", OnDisk(name), OnDisk(name)], Row(list.Output, name)[1..4]);
        }

        show = await Cli("prompts", "show", Explain);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"{Explain} {b} (active)", show.Output, StringComparison.Ordinal);
        Assert.Contains(Edited, show.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(Original, show.Output, StringComparison.Ordinal);
        var metricsA = PromptSessions.Metrics(runA);
        Assert.Equal([a, "", "1", F3(metricsA.GroundedPrecision), F3(metricsA.FeatureMatch), F3(metricsA.UniqueSentenceRatio), F3(metricsA.VerifiedShare)], Without(Row(show.Output, a), 2));
        Assert.Equal([b, "yes", "0", "", "", "", ""], Without(Row(show.Output, b), 2));

        // compare before the new version has run: says what to do.
        var early = await Cli("prompts", "compare", Explain, a, b);
        AssertOneLineError(early, $"Version {b} has no run yet: `explainer prompts run {Explain} --version {b} --sample N`.");

        var runB = await RunExplain(b);

        // compare: both versions' metrics side by side, the active one starred, then their outputs.
        var compare = await Cli("prompts", "compare", Explain, a, b);
        Assert.Equal(0, compare.ExitCode);
        Assert.Equal(["Metric", a, b + "*", "Δ"], Row(compare.Output, "Metric"));
        var cases = PromptComparison.Build(Version(a), Version(b), runA, runB);
        Assert.Contains($"Cases: {cases.Improved} improved, {cases.Regressed} regressed, {cases.Unchanged} unchanged; {cases.TextChanged} with changed text, {cases.Changed} with changed text or drafts", compare.Output, StringComparison.Ordinal);
        Assert.Equal(cases.Cases.Count, cases.Improved + cases.Regressed + cases.Unchanged);
        AssertMetricsTable(compare.Output, 1, runA);
        AssertMetricsTable(compare.Output, 2, runB);
        var shared = runA.Outputs.Select(o => (o.UserId, o.ItemId)).Intersect(runB.Outputs.Select(o => (o.UserId, o.ItemId))).Count();
        Assert.True(shared > 0, "The same seed and sample should explain some of the same recommendations.");
        var header = Regex.Matches(compare.Output, $@"^\s*User / item\s+{a}\s+{b}\s*$", RegexOptions.Multiline);
        Assert.Single(header);
        var verdicts = Verdict().Count(compare.Output[header[0].Index..]);
        Assert.Equal(2 * Math.Min(5, shared), verdicts);
        Assert.Contains("* active version.", compare.Output, StringComparison.Ordinal);

        // promote the first version back.
        var promote = await Cli("prompts", "promote", Explain, a, "--note", "back to the original wording", "--by", "Pat");
        Assert.Equal(0, promote.ExitCode);
        Assert.Contains($"{Explain} {a} is now active.", promote.Output, StringComparison.Ordinal);

        show = await Cli("prompts", "show", Explain);
        Assert.Equal(0, show.ExitCode);
        Assert.Contains($"{Explain} {a} (active)", show.Output, StringComparison.Ordinal);
        Assert.Contains(Original, show.Output, StringComparison.Ordinal);
        Assert.Equal("yes", Row(show.Output, a)[1]);
        Assert.Equal("", Row(show.Output, b)[1]);

        list = await Cli("prompts", "list");
        Assert.Equal(["2", a, b], Row(list.Output, Explain)[1..4]); // active A, while the file on disk is still B

        using (var store = ExplainerStore.Open(_db, create: false))
        {
            Assert.Equal(a, Short(Assert.Single(store.PromptVersions(Explain), v => v.Active).Hash));
        }

        // promoting the active version again is refused; the history has the two file changes and the promotion.
        AssertOneLineError(await Cli("prompts", "promote", Explain, a, "--note", "again"), $"{Explain} {a} is already active.");
        var history = await Cli("prompts", "history", Explain);
        Assert.Equal(0, history.ExitCode);
        var moves = history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(3, moves.Length);
        Assert.EndsWith($"promote   -        -> {a}  by {PromptLibrary.FileAuthor}: prompts/{Explain} changed on disk", moves[0], StringComparison.Ordinal);
        Assert.EndsWith($"promote   {a} -> {b}  by {PromptLibrary.FileAuthor}: prompts/{Explain} changed on disk", moves[1], StringComparison.Ordinal);
        Assert.EndsWith($"promote   {b} -> {a}  by Pat: back to the original wording", moves[2], StringComparison.Ordinal);

        // roll back twice undoes the promotion, then the file change; a third has nothing left to undo.
        var rollback = await Cli("prompts", "rollback", Explain, "--note", "the shorter one reads better", "--by", "Pat");
        Assert.Equal(0, rollback.ExitCode);
        Assert.Contains($"{Explain} rolled back: {b} is active again.", rollback.Output, StringComparison.Ordinal);
        rollback = await Cli("prompts", "rollback", Explain, "--note", "no, the first", "--by", "Pat");
        Assert.Contains($"{Explain} rolled back: {a} is active again.", rollback.Output, StringComparison.Ordinal);
        AssertOneLineError(await Cli("prompts", "rollback", Explain, "--note", "further"), $"Nothing to roll back to: {Explain} has no earlier active version in its history.");
        history = await Cli("prompts", "history", Explain);
        Assert.EndsWith($"rollback  {a} -> {b}  by Pat: the shorter one reads better", history.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[3], StringComparison.Ordinal);

        // a promotion without a reason is refused before anything moves.
        var noNote = await Cli("prompts", "promote", Explain, b);
        Assert.NotEqual(0, noNote.ExitCode); // 2 from the program (CliEntry); the parser's own code in process
        Assert.Contains("Option '--note' is required.", noNote.Output, StringComparison.Ordinal);
        using (var store = ExplainerStore.Open(_db, create: false))
        {
            Assert.Equal(a, Short(Assert.Single(store.PromptVersions(Explain), v => v.Active).Hash));
        }
    }

    private PromptVersion Version(string shortHash)
    {
        using var store = ExplainerStore.Open(_db, create: false);
        return Assert.Single(store.PromptVersions(Explain), v => Short(v.Hash) == shortHash);
    }

    [Theory]
    [InlineData("No prompt 'Nope'. See `explainer prompts list`.", "show", "Nope")]
    [InlineData("No prompt 'Explian'. See `explainer prompts list`.", "run", "Explian", "--sample", "2")]
    [InlineData("Prompt 'Nope' has no version 'abc'. See `explainer prompts show Nope`.", "promote", "Nope", "abc", "--note", "n")]
    [InlineData("Prompt 'Explain' has no version 'zzzz'. See `explainer prompts show Explain`.", "show", "Explain", "--version", "zzzz")]
    [InlineData("Prompt 'Explain' has no version 'zzzz'. See `explainer prompts show Explain`.", "run", "Explain", "--version", "zzzz", "--sample", "2")]
    [InlineData("Prompt 'Explain' has no version 'zzzz'. See `explainer prompts show Explain`.", "compare", "Explain", "zzzz", "zzzz")]
    [InlineData("Prompt 'Explain' has no version 'zzzz'. See `explainer prompts show Explain`.", "promote", "Explain", "zzzz", "--note", "n")]
    [InlineData("No prompt 'Nope'. See `explainer prompts list`.", "history", "Nope")]
    [InlineData("No prompt 'Nope'. See `explainer prompts list`.", "rollback", "Nope", "--note", "n")]
    [InlineData("Only the Explain and DescribeItem prompts run in tuning sessions; 'ExtractKeywords' belongs to the LLM engines of enrichment or chat (list, show, check and promote work for it).", "run", "ExtractKeywords", "--sample", "2")]
    [InlineData("The sample must be 1 to 2,000 items.", "run", "DescribeItem", "--sample", "2001")]
    public async Task A_wrong_prompt_or_version_is_one_clear_line_and_exit_code_1(string message, params string[] args)
    {
        var result = await Cli(["prompts", .. args]);

        AssertOneLineError(result, message);
        using var store = ExplainerStore.Open(_db, create: false);
        Assert.Empty(store.PromptRuns(args[1]));
        Assert.All(store.PromptVersions(), v => Assert.Equal(v.Hash, PromptLibrary.HashOf(File.ReadAllText(Path.Combine(_prompts, v.Name, "skprompt.txt")), File.ReadAllText(Path.Combine(_prompts, v.Name, "config.json")))));
    }

    [Fact]
    public async Task DescribeItem_runs_over_a_seeded_sample_of_items_and_compares_case_by_item()
    {
        var (code, output) = await Cli("prompts", "run", "DescribeItem", "--sample", "6", "--seed", "5");
        Assert.Equal(0, code);
        PromptRun run;
        using (var store = ExplainerStore.Open(_db, create: false))
        {
            run = Assert.Single(store.PromptRuns("DescribeItem"));
            Assert.All(run.Outputs, o => Assert.NotNull(store.FindDescription(o.ItemId))); // described items only
        }

        Assert.Equal(6, run.Outputs.Count);
        Assert.Equal(6, run.Outputs.Select(o => o.ItemId).Distinct().Count());
        Assert.All(run.Outputs, o =>
        {
            Assert.Equal((string.Empty, PromptRunOutput.Accepted, Extractive.ExtractiveKeywordExtractor.Version), (o.UserId, o.Level, o.Engine));
            Assert.False(string.IsNullOrWhiteSpace(o.Text));
            Assert.InRange(o.GroundedPrecision, 0.01, 1); // the share of its content words found in the item's data
            Assert.Contains(o.Evidence, e => e.StartsWith("Title: ", StringComparison.Ordinal));
        });
        Assert.Contains($"Run of DescribeItem {OnDisk("DescribeItem")} with none: 6 descriptions of 6 items (seed 5), stored.", output, StringComparison.Ordinal);
        Assert.Equal(F3(run.Outputs.Average(o => o.GroundedPrecision)), Row(output, "Words from the item's data (own text or draft)")[1]);
        Assert.Equal("1.000", Row(output, "Own text passed the check")[1]); // no LLM: the extractive describer's text is the run's own

        // The same sample again gives the same items (a seeded sample), kept as a second run.
        Assert.Equal(0, (await Cli("prompts", "run", "DescribeItem", "--sample", "6", "--seed", "5")).ExitCode);
        IReadOnlyList<PromptRun> runs;
        using (var again = ExplainerStore.Open(_db, create: false))
        {
            runs = again.PromptRuns("DescribeItem");
        }

        Assert.Equal(2, runs.Count);
        Assert.Equal(runs[0].Outputs.Select(o => o.ItemId), runs[1].Outputs.Select(o => o.ItemId));

        // Another seed, another sample.
        Assert.Equal(0, (await Cli("prompts", "run", "DescribeItem", "--sample", "6", "--seed", "6")).ExitCode);
        using var third = ExplainerStore.Open(_db, create: false);
        Assert.NotEqual(runs[0].Outputs.Select(o => o.ItemId), third.PromptRuns("DescribeItem")[^1].Outputs.Select(o => o.ItemId));
    }

    [Fact]
    public async Task Check_reports_each_problem_of_the_files_with_its_place_and_fails_only_on_errors()
    {
        var before = StoreContent();
        var ok = await Cli("prompts", "check");
        Assert.Equal(0, ok.ExitCode);
        Assert.Equal([.. AllPrompts.Select(n => n + ": ok")], ok.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        var template = Path.Combine(_prompts, Explain, "skprompt.txt");
        var text = await File.ReadAllTextAsync(template);
        var line = text[..text.IndexOf("{{$evidence}}", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        await File.WriteAllTextAsync(template, text.Replace("{{$evidence}}", "{{$evidnce}}", StringComparison.Ordinal));

        var bad = await Cli("prompts", "check", Explain);
        Assert.Equal(ExitCodes.Failed, bad.ExitCode);
        Assert.Contains($"Explain/skprompt.txt:{line}:1: error: {{{{$evidnce}}}} is not an input of Explain", bad.Output, StringComparison.Ordinal);
        Assert.Contains("error: Missing input variable {{$evidence}}", bad.Output, StringComparison.Ordinal);
        Assert.Equal(before, StoreContent()); // checking reads files only: no version recorded
    }

    private string StoreContent()
    {
        using var store = ExplainerStore.Open(_db, create: false);
        return string.Join('\n', Core.Storage.StoreChecksum.Compute(store).Select(c => $"{c.Name} {c.Count} {c.Sha256}"));
    }

    /// <summary>`prompts run Explain --sample 20` of a version: the printed summary and metrics are those of the run it stored.</summary>
    private async Task<PromptRun> RunExplain(string version)
    {
        var (code, output) = await Cli("prompts", "run", Explain, "--sample", "20");
        Assert.Equal(0, code);
        Assert.Contains("warning: no LLM is configured", output, StringComparison.Ordinal);

        PromptRun run;
        using (var store = ExplainerStore.Open(_db, create: false))
        {
            run = Assert.Single(store.PromptRuns(Explain), r => Short(r.Hash) == version);
        }

        Assert.Equal((20, 42, "none"), (run.Sample, run.Seed, run.Model));
        Assert.InRange(run.Outputs.Count, 1, 20);
        Assert.Equal(run.Outputs.Count, run.Outputs.Select(o => o.UserId).Distinct().Count()); // k = 1: one per sampled user
        Assert.All(run.Outputs, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Text));
            Assert.StartsWith("extractive", o.Engine, StringComparison.Ordinal);
            Assert.InRange(o.GroundedPrecision, 0, 1);
            Assert.True(o.LatencyMs >= 0);
        });

        Assert.Contains($"Run of {Explain} {version} with none: {run.Outputs.Count} explanations of 20 users (seed 42), stored.", output, StringComparison.Ordinal);
        Assert.Equal(["Metric", version], Row(output, "Metric"));
        AssertMetricsTable(output, 1, run);
        foreach (var o in run.Outputs.Take(3))
        {
            Assert.Contains($"{o.UserId} / {o.ItemId} ({o.Engine}, ", output, StringComparison.Ordinal);
        }

        return run;
    }

    /// <summary>Column <paramref name="column"/> of the printed metrics table: in range, and the metrics of the stored run.</summary>
    private static void AssertMetricsTable(string output, int column, PromptRun run)
    {
        string Cell(string metric) => Row(output, metric)[column];
        double Value(string metric) => double.Parse(Cell(metric), CultureInfo.InvariantCulture);

        Assert.Equal(run.Outputs.Count, Value("Explanations"));
        foreach (var share in new[] { "Grounded precision", "Feature match", "Unique sentences", "Verified (text shown)", "Own text passed the verifier", "Drafts that parsed" })
        {
            Assert.InRange(Value(share), 0, 1);
        }

        Assert.True(Value("Unique sentences") > 0, "Explanations have sentences.");
        Assert.True(Value("Mean length (words)") > 0, "Explanations have words.");
        Assert.InRange(Value("Fallbacks"), 0, run.Outputs.Count);

        var m = PromptSessions.Metrics(run);
        Assert.Equal(
            [F3(m.GroundedPrecision), F3(m.FeatureMatch), F3(m.UniqueSentenceRatio), m.MeanWords.ToString("0.0", CultureInfo.InvariantCulture), F3(m.VerifiedShare), m.Fallbacks.ToString(CultureInfo.InvariantCulture)],
            [Cell("Grounded precision"), Cell("Feature match"), Cell("Unique sentences"), Cell("Mean length (words)"), Cell("Verified (text shown)"), Cell("Fallbacks")]);
    }

    private static void AssertOneLineError((int ExitCode, string Output) result, string message)
    {
        Assert.Equal(ExitCodes.Failed, result.ExitCode);
        var lines = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !l.StartsWith("warning: no LLM is configured", StringComparison.Ordinal)) // `prompts run` warns first
            .ToList();
        Assert.Equal("error: " + message, Assert.Single(lines));
    }

    private Task<(int ExitCode, string Output)> Cli(params string[] args) =>
        CliRunner.RunAsync(new Dictionary<string, string?> { ["EXPLAINER_Explain__PromptsPath"] = _prompts }, [.. args, "--db", _db]);

    /// <summary>The version of a prompt in the temp copy of prompts/, as the CLI shows it (hash of template and config, 8 digits).</summary>
    private string OnDisk(string name)
    {
        var dir = Path.Combine(_prompts, name);
        return Short(PromptLibrary.HashOf(File.ReadAllText(Path.Combine(dir, "skprompt.txt")), File.ReadAllText(Path.Combine(dir, "config.json"))));
    }

    private static string Short(string hash) => hash[..8];

    private static string F3(double value) => value.ToString("0.000", CultureInfo.InvariantCulture);

    private static string[] Without(string[] cells, int index) => [.. cells[..index], .. cells[(index + 1)..]];

    /// <summary>The trimmed cells of the one table row (│ separated) whose first cell is <paramref name="first"/>.</summary>
    private static string[] Row(string output, string first)
    {
        var rows = output.Split('\n')
            .Where(l => l.TrimStart().StartsWith('│'))
            .Select(l => l.Trim().Split('│')[1..^1].Select(c => c.Trim()).ToArray())
            .Where(cells => cells.Length > 0 && cells[0] == first)
            .ToList();
        return Assert.Single(rows);
    }

    [GeneratedRegex("extractive[a-z-]*, (?:verified|rejected)")]
    private static partial Regex Verdict();
}
