using Explainer.Core.Domain;
using Explainer.Core.Explaining;
using Explainer.Explaining;

namespace Explainer.Explaining.Tests;

/// <summary>
/// The pieces of prompt tuning that need no store: the checks a draft gets before it is saved (on the repository's real
/// prompts, edited as a person would), the word diffs, how a case is judged better or worse, and roll back over a history.
/// </summary>
public sealed class PromptTuningTests
{
    private static string Template(string name) => File.ReadAllText(Path.Combine(TestPaths.Prompts, name, "skprompt.txt"));

    private static string Config(string name) => File.ReadAllText(Path.Combine(TestPaths.Prompts, name, "config.json"));

    [Theory]
    [InlineData("Explain")]
    [InlineData("ExtractKeywords")]
    [InlineData("DescribeItem")]
    [InlineData("ParseRequest")]
    public async Task The_repository_prompts_pass_their_own_checks(string name)
    {
        var problems = await PromptValidator.ValidateAsync(name, Template(name), Config(name), default);

        Assert.Empty(problems);
    }

    [Fact]
    public async Task A_mistyped_variable_is_placed_on_its_line_and_column_and_the_missing_input_is_named()
    {
        var template = Template("Explain");
        var at = template.IndexOf("{{$evidence}}", StringComparison.Ordinal);
        var line = template[..at].Count(c => c == '\n') + 1;
        var column = at - template.LastIndexOf('\n', at - 1);

        var problems = await PromptValidator.ValidateAsync("Explain", template.Replace("{{$evidence}}", "{{$evidnce}}", StringComparison.Ordinal), Config("Explain"), default);

        Assert.All(problems, p => Assert.Equal(PromptProblem.Error, p.Severity));
        var unknown = Assert.Single(problems, p => p.Line is not null);
        Assert.Equal(("skprompt.txt", line, column), (unknown.File, unknown.Line!.Value, unknown.Column!.Value));
        Assert.StartsWith("{{$evidnce}} is not an input of Explain: the engine supplies $item, $interests, $reasons, $evidence, $query", unknown.Message, StringComparison.Ordinal);
        Assert.Contains(problems, p => p.Message.StartsWith("Missing input variable {{$evidence}}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{{$}}", "The variable name is empty")]
    [InlineData("{{ $reasons $evidence }}", "Invalid token detected after the variable")]
    [InlineData("{{$re-asons}}", "contains invalid characters")]
    [InlineData("{{ web.search $reasons }}", "calls a function; Explain's kernel has none")]
    public async Task Semantic_Kernel_template_errors_are_shown_on_the_block_that_causes_them(string block, string message)
    {
        var template = Template("Explain");
        var edited = template.Replace("Reasons, most important first:", "Reasons, most important first: " + block, StringComparison.Ordinal);
        Assert.NotEqual(template, edited);
        var line = edited[..edited.IndexOf(block, StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var problems = await PromptValidator.ValidateAsync("Explain", edited, Config("Explain"), default);

        var problem = Assert.Single(problems, p => p.Message.Contains(message, StringComparison.Ordinal));
        Assert.Equal(("skprompt.txt", line, PromptProblem.Error), (problem.File, problem.Line, problem.Severity));
    }

    [Fact]
    public async Task A_config_that_is_not_valid_JSON_is_placed_on_its_line()
    {
        var config = Config("Explain").Replace("\"temperature\": 0.2,", "\"temperature\": 0.2,,", StringComparison.Ordinal);
        var line = config[..config.IndexOf(",,", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var problems = await PromptValidator.ValidateAsync("Explain", Template("Explain"), config, default);

        var problem = Assert.Single(problems);
        Assert.Equal(("config.json", line), (problem.File, problem.Line));
        Assert.StartsWith("config.json is not a valid prompt config: ", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_template_is_refused_and_an_input_the_engine_lacks_is_a_warning_in_config()
    {
        Assert.Equal("The template is empty.", Assert.Single(await PromptValidator.ValidateAsync("Explain", "  \n", Config("Explain"), default)).Message);

        var config = Config("Explain").Replace("\"name\": \"item\",", "\"name\": \"price\",", StringComparison.Ordinal);
        var warning = Assert.Single(await PromptValidator.ValidateAsync("Explain", Template("Explain"), config, default));
        Assert.Equal((PromptProblem.Warning, "config.json"), (warning.Severity, warning.File));
        Assert.Contains("'price'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_word_diff_gives_back_both_texts_and_marks_only_the_changed_words()
    {
        var before = Template("Explain");
        var after = before.Replace("in one or two short sentences", "in one short sentence", StringComparison.Ordinal);

        var diff = WordDiff.Of(before, after);

        Assert.Equal(before, WordDiff.Before(diff));
        Assert.Equal(after, WordDiff.After(diff));
        Assert.Equal(["or", "two", "sentences"], diff.Where(d => d.Op == "-").SelectMany(d => d.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal("sentence", Assert.Single(diff, d => d.Op == "+").Text.Trim());
        Assert.Equal([new DiffPart("=", "same text")], WordDiff.Of("same text", "same text"));
    }

    [Fact]
    public void A_case_is_better_first_by_passing_verification_then_faithfulness_links_English_and_grounding()
    {
        static PromptRunOutput Output(string engine = "llm", bool verified = true, bool faithful = true, int links = 2, int supported = 2, int errors = 0, double grounded = 1) =>
            new("u", "i", "text", engine, verified, grounded, true, 10) { Faithful = faithful, Links = links, SupportedLinks = supported, EnglishErrors = [.. Enumerable.Repeat("e", errors)] };

        var best = CaseScore.Of(Output());
        Assert.True(best.Passed);
        Assert.False(CaseScore.Of(Output(engine: ExplanationService.FallbackEngine)).Passed); // the fallback's text passed, not the prompt's
        Assert.True(best.Versus(CaseScore.Of(Output(verified: false, grounded: 1))) > 0);
        Assert.True(CaseScore.Of(Output(verified: false)).Versus(CaseScore.Of(Output(faithful: false))) < 0); // passing outranks faithfulness
        Assert.True(best.Versus(CaseScore.Of(Output(faithful: false))) > 0);
        Assert.True(best.Versus(CaseScore.Of(Output(supported: 1))) > 0);
        Assert.True(best.Versus(CaseScore.Of(Output(errors: 1))) > 0);
        Assert.True(best.Versus(CaseScore.Of(Output(grounded: 0.5))) > 0);
        Assert.Equal(0, best.Versus(CaseScore.Of(Output(links: 0, supported: 0)))); // no link stated is not a broken link
    }

    [Fact]
    public void A_description_is_kept_only_when_it_says_something_and_stays_with_the_items_data()
    {
        const string source = "Title: Snark SN-5 Tuner for Guitar, Bass and Violin\nCategory: Tuners\n- tuner (liked): \"The clip holds well on the headstock.\"";

        Assert.Equal((null, "too short to describe the item (fewer than 4 content words)"), Llm.LlmItemDescriber.Check("{\"description\": \"It's a tuner.\"}", source));
        Assert.Equal(("A Snark clip tuner for guitar, bass and violin that holds on the headstock.", null), Llm.LlmItemDescriber.Check("{\"description\": \"A Snark clip tuner for guitar, bass and violin that holds on the headstock.\"}", source));
        Assert.StartsWith("only ", Llm.LlmItemDescriber.Check("{\"description\": \"A lovely purple dragon flies over castles tonight.\"}", source).Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Roll_back_undoes_promotions_in_reverse_order_and_then_has_nothing_left()
    {
        var history = new List<PromptPromotion>();
        void Move(string action, string? from, string to) => history.Add(new PromptPromotion { Id = $"{history.Count}", Name = "Explain", Action = action, FromHash = from, ToHash = to, By = "t" });

        Move(PromptPromotion.Promote, null, "a");
        Assert.Null(PromptSessions.RollbackTarget(history));
        Move(PromptPromotion.Promote, "a", "b");
        Move(PromptPromotion.Promote, "b", "c");
        Assert.Equal("b", PromptSessions.RollbackTarget(history));
        Move(PromptPromotion.Rollback, "c", "b");
        Assert.Equal("a", PromptSessions.RollbackTarget(history));
        Move(PromptPromotion.Rollback, "b", "a");
        Assert.Null(PromptSessions.RollbackTarget(history));
        Move(PromptPromotion.Promote, "a", "c");
        Assert.Equal("a", PromptSessions.RollbackTarget(history));
    }
}
