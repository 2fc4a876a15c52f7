using System.Net;
using System.Text.Json;
using Explainer.Storage;
using Xunit.Abstractions;

namespace Explainer.Api.Tests;

/// <summary>
/// <c>Llm:Endpoint</c> set the way a user sets it (an environment variable naming a real llama-server) for the three
/// front ends: <c>recommend --explain</c>, <c>chat</c> and <c>serve</c>. stories260K is not instruction-following, and
/// its context (2,048 tokens per slot on the server, a token per character or so) is shorter than some Explain prompts:
/// the server refuses those with a 400 and answers the rest with drafts the verifier rejects. What is checked is that
/// either failure costs an item only its LLM text (the list is complete, extractive, verified, and says why), and that
/// the chat's requests are understood through the server.
/// </summary>
[Collection(RealStoreCollection.Name)]
public sealed class EndpointProcessTests(RealStoreFixture fixture, ITestOutputHelper output) : IAsyncLifetime
{
    private LlamaServer? _server;

    private LlamaServer Server => _server!;

    // llama-server caps a slot at the model's training context (2,048 for stories260K) anyway; said here so the test
    // does not depend on that cap.
    public async Task InitializeAsync() => _server = await LlamaServer.StartAsync(slots: 2, contextPerSlot: 2048);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task Recommend_explain_through_an_endpoint_that_refuses_the_prompt_lists_every_item_explained_and_says_why()
    {
        var db = fixture.Copy("endpoint-recommend.db");
        var (code, stdout, stderr) = await CliProcess.RunAsync(["recommend", "--db", db, "--user", RealStoreFixture.User, "-k", "4", "--explain", "--json"], [], Endpoint());
        output.WriteLine(stderr);
        Assert.True(code == 0, stderr);

        var items = JsonDocument.Parse(stdout).RootElement.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        var rejected = new List<string>();
        foreach (var explanation in items.Select(i => i.GetProperty("explanation")))
        {
            Assert.Equal("ready", explanation.GetProperty("status").GetString());
            Assert.Equal("extractive-fallback", explanation.GetProperty("engine").GetString());
            Assert.True(explanation.GetProperty("verified").GetBoolean());
            Assert.Equal(LlamaServer.Alias, explanation.GetProperty("model").GetString());
            var why = explanation.GetProperty("rejected").EnumerateArray().Select(r => r.GetString()!).ToList();
            Assert.NotEmpty(why);
            rejected.AddRange(why);
        }

        // Refused prompts are named with the server's URL and its own words; answered ones with the verifier's reasons.
        var refused = rejected.Where(r => r.Contains("the LLM failed", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, r => Assert.Contains(Server.Endpoint.ToString(), r, StringComparison.Ordinal));
        Assert.All(refused, r => Assert.Contains("exceeds the available context size", r, StringComparison.Ordinal));
        Assert.Contains(rejected, r => r.Contains("unsupported", StringComparison.Ordinal) || r.Contains("no evidence cited", StringComparison.Ordinal));

        // One warning line per refused request, no stack traces in what the user sees.
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.Equal(refused.Count, stderr.Split('\n').Count(l => l.Contains("The LLM failed on the explanation of", StringComparison.Ordinal)));

        // Explanations whose drafts the verifier rejected are stored; those whose request failed are not (the failure may
        // pass), so the next run serves the first from the store and asks the server again only for the others.
        var refusedItems = items.Count(i => i.GetProperty("explanation").GetProperty("rejected").EnumerateArray().Any(r => r.GetString()!.Contains("the LLM failed", StringComparison.Ordinal)));
        using (var store = ExplainerStore.Open(db, create: false))
        {
            Assert.Equal(4 - refusedItems, store.CountExplanations());
        }

        var (again, _, againErrors) = await CliProcess.RunAsync(["recommend", "--db", db, "--user", RealStoreFixture.User, "-k", "4", "--explain"], [], Endpoint());
        Assert.Equal(0, again);
        Assert.Equal(refusedItems, againErrors.Split('\n').Count(l => l.Contains("The LLM failed on the explanation of", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Chat_through_an_endpoint_reads_every_line_with_the_servers_model_and_answers_every_form()
    {
        var db = fixture.Copy("endpoint-chat.db");
        var (code, stdout, stderr) = await CliProcess.RunAsync(
            ["chat", "--db", db, "--user", RealStoreFixture.User, "--verbose"],
            ["recommend me something", "why number 2?", "not the first one", "/quit"],
            new Dictionary<string, string?>(Endpoint()) { ["EXPLAINER_Logging__LogLevel__Explainer.Explaining.Llm"] = "Debug" });
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr);
        Assert.DoesNotContain("Exception", stdout, StringComparison.Ordinal);

        var turns = CliProcess.Turns(stdout);
        var first = CliProcess.Items(turns[0]);
        Assert.Equal(10, first.Count);
        Assert.Contains(first[1].Title, turns[1], StringComparison.Ordinal); // the explanation names the item asked about
        Assert.DoesNotContain(CliProcess.Items(turns[2]), i => i.Id == first[0].Id);

        var parserLog = stderr.Split('\n').Where(l => l.Contains("LlmIntentParser", StringComparison.Ordinal)).ToList();
        Assert.Contains(parserLog, l => l.Contains("'recommend me something'", StringComparison.Ordinal));
        Assert.Contains(parserLog, l => l.Contains("'not the first one'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Serve_through_an_endpoint_answers_explained_lists_with_the_servers_model_named()
    {
        var db = fixture.Copy("endpoint-serve.db");
        await using var serve = await ServeProcess.StartAsync(db, Endpoint());

        using var response = await serve.Client.GetAsync($"/v1/users/{RealStoreFixture.User}/recommendations?k=3&explain=true");
        var body = await response.Content.ReadAsStringAsync();
        output.WriteLine(body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var explanations = JsonDocument.Parse(body).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("explanation")).ToList();
        Assert.Equal(3, explanations.Count);

        // Within the time budget or on a later request, each is written: extractive, and saying why not the LLM's.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline && explanations.Any(e => e.GetProperty("status").GetString() == "pending"))
        {
            await Task.Delay(200);
            using var again = await serve.Client.GetAsync($"/v1/users/{RealStoreFixture.User}/recommendations?k=3&explain=true");
            explanations = [.. JsonDocument.Parse(await again.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("explanation"))];
        }

        Assert.All(explanations, e =>
        {
            Assert.Equal("ready", e.GetProperty("status").GetString());
            Assert.Equal("extractive-fallback", e.GetProperty("engine").GetString());
            Assert.Equal(LlamaServer.Alias, e.GetProperty("model").GetString());
            Assert.NotEqual(0, e.GetProperty("rejected").GetArrayLength()); // the LLM's drafts were refused or rejected, and it says so
        });
        Assert.Equal(0, await serve.StopAsync());
    }

    private Dictionary<string, string?> Endpoint() => new()
    {
        ["EXPLAINER_Llm__Endpoint"] = Server.Endpoint.ToString(),
        ["EXPLAINER_Llm__MaxConcurrency"] = "2",
    };
}
