using Explainer.Storage;
using Xunit.Abstractions;

namespace Explainer.Api.Tests;

/// <summary>
/// The LLM configured the way a user does it (environment variables naming a GGUF), through the real CLI processes:
/// enrichment picks the LLM engine and records it, and the chat understands through the LLM parser. The model is the
/// tiny stories260K, so what is checked is the wiring, not the quality of what it writes.
/// </summary>
[Collection(RealStoreCollection.Name)]
public sealed class LlmProcessTests(RealStoreFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Enrich_with_a_gguf_configured_uses_the_llm_engine_and_says_so_and_without_one_llm_is_a_clear_error()
    {
        using var dir = new TempDir();
        var db = SampleStore.Build(fixture.StorePath, dir.File("sample.db"), ["1384719342", "B0018TC3I4"]);
        var llm = Llm(dir);

        var (code, stdout, stderr) = await CliProcess.RunAsync(["enrich", "--db", db], [], llm);
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr);
        Assert.Contains("Enriched with llm:stories260K.gguf/ExtractKeywords@", stdout, StringComparison.Ordinal);
        Assert.Contains("descriptions: llm:stories260K.gguf/DescribeItem@", stdout.Replace("\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        using (var store = ExplainerStore.Open(db, create: false))
        {
            Assert.All(store.ProfileHashes().Keys, u => Assert.StartsWith("llm:stories260K.gguf/ExtractKeywords@", store.FindProfile(u)!.Engine, StringComparison.Ordinal));
            Assert.All(store.Descriptions(), d => Assert.True(d.Engine.StartsWith("llm:stories260K.gguf/DescribeItem@", StringComparison.Ordinal) || d.Engine == "extractive-fallback", d.Engine));
        }

        // --engine extractive overrides the configured LLM (and, the engine being new, re-enriches everything).
        var (extractive, extractiveOut, _) = await CliProcess.RunAsync(["enrich", "--db", db, "--engine", "extractive"], [], llm);
        Assert.Equal(0, extractive);
        Assert.Contains("Enriched with extractive/", extractiveOut, StringComparison.Ordinal);

        // Asking for the LLM with none configured: one line naming the setting, exit 1, the store untouched.
        var before = await File.ReadAllBytesAsync(db);
        var (failed, _, errors) = await CliProcess.RunAsync(["enrich", "--db", db, "--engine", "llm"], [], new Dictionary<string, string?> { ["EXPLAINER_Llm__ModelPath"] = null });
        Assert.Equal(1, failed);
        Assert.Contains("Llm:ModelPath", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(db));
    }

    [Fact]
    public async Task Enrich_with_an_endpoint_that_is_down_fails_in_one_line_naming_the_url_and_leaves_the_store_untouched()
    {
        using var dir = new TempDir();
        var db = SampleStore.Build(fixture.StorePath, dir.File("sample.db"), ["1384719342"]);
        var before = await File.ReadAllBytesAsync(db);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var url = $"http://127.0.0.1:{((System.Net.IPEndPoint)listener.LocalEndpoint).Port}/v1";
        listener.Stop(); // a port nothing listens on

        var (code, stdout, stderr) = await CliProcess.RunAsync(["enrich", "--db", db, "--engine", "llm"], [], new Dictionary<string, string?>
        {
            ["EXPLAINER_Llm__Endpoint"] = url,
            ["EXPLAINER_Llm__MaxRetries"] = "1",
            ["EXPLAINER_Llm__RetryDelaySeconds"] = "0.05",
        });
        output.WriteLine(stdout + stderr);

        Assert.Equal(1, code);
        Assert.Contains(url, stderr, StringComparison.Ordinal);
        Assert.Contains("not reachable", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllBytesAsync(db));
    }

    [Fact]
    public async Task Chat_with_a_gguf_configured_understands_through_the_llm_parser_and_still_answers_every_form()
    {
        using var dir = new TempDir();
        var db = fixture.Copy("llm-chat.db");
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["chat", "--db", db, "--user", RealStoreFixture.User, "--verbose"],
            ["recommend me something", "not the first one", "/quit"],
            new Dictionary<string, string?>(Llm(dir)) { ["EXPLAINER_Logging__LogLevel__Explainer.Explaining.Llm"] = "Debug" });
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Exception", stdout + stderr, StringComparison.Ordinal);

        var turns = CliProcess.Turns(stdout);
        var first = CliProcess.Items(turns[0]);
        Assert.Equal(10, first.Count);
        Assert.DoesNotContain(CliProcess.Items(turns[1]), i => i.Id == first[0].Id);

        // The model was asked about both lines (its reading used, or the rules deciding when it fails the checks); /quit never reaches it.
        var parserLog = stderr.Split('\n').Where(l => l.Contains("LlmIntentParser", StringComparison.Ordinal)).ToList();
        Assert.Contains(parserLog, l => l.Contains("'recommend me something'", StringComparison.Ordinal));
        Assert.Contains(parserLog, l => l.Contains("'not the first one'", StringComparison.Ordinal));
        Assert.DoesNotContain(parserLog, l => l.Contains("/quit", StringComparison.Ordinal));
    }

    /// <summary>stories260K configured through the environment, one thread, with the enrichment prompts' outputs capped.</summary>
    private static Dictionary<string, string?> Llm(TempDir dir) => new()
    {
        ["EXPLAINER_Llm__ModelPath"] = TestPaths.StoriesModel,
        ["EXPLAINER_Llm__Threads"] = "1",
        ["EXPLAINER_Llm__ContextLength"] = "4096",
        ["EXPLAINER_Explain__PromptsPath"] = TestPrompts.Copy(
            dir,
            ("ExtractKeywords", "\"max_tokens\": 200", "\"max_tokens\": 120"),
            ("ExtractKeywords", "\"max_keywords\": 8, \"max_keyword_chars\": 40, \"max_review_chars\": 1500", "\"max_keywords\": 2, \"max_keyword_chars\": 12, \"max_review_chars\": 300"),
            ("DescribeItem", "\"max_tokens\": 120", "\"max_tokens\": 80"),
            ("DescribeItem", "\"max_text_chars\": 300", "\"max_text_chars\": 40")),
    };
}
