using System.Diagnostics;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Explaining;
using Explainer.Explaining.Llm;
using Explainer.Extractive;
using Explainer.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Explainer.OpenAI.Tests;

/// <summary>`enrich` with Llm:Endpoint: the LLM engines through a real llama-server, and what happens when it dies.</summary>
public sealed class ServerEnrichmentTests(IngestedStore ingested, ITestOutputHelper output) : IClassFixture<IngestedStore>
{
    [Fact]
    public async Task Enrichment_through_the_server_gives_the_engines_schema_valid_grounded_answers_and_counts_the_tokens()
    {
        await using var server = await LlamaServer.StartAsync(slots: 4);
        using var dir = new TempDir();
        var path = SampleStore.Build(ingested.Path, dir.File("sample.db"), ["1384719342", "B0018TC3I4"]);

        await using var services = RealStore.Services(path, Settings(dir, server));
        Assert.Equal("openai-compatible", services.GetRequiredService<IChatClient>().GetService<ChatClientMetadata>()!.ProviderName);
        var extractor = Assert.IsType<LlmKeywordExtractor>(services.GetRequiredService<IKeywordExtractor>());
        Assert.StartsWith($"llm:{LlamaServer.Alias}/ExtractKeywords@", extractor.EngineId, StringComparison.Ordinal);
        var usage = services.GetRequiredService<LlmUsage>();

        var summary = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
        var store = services.GetRequiredService<ExplainerStore>();
        var reviews = store.Reviews().ToList();
        output.WriteLine($"{extractor.Counts}; {usage.Snapshot()}");

        // One keyword request per review and one description per item, every token counted.
        Assert.Equal((2, reviews.Select(r => r.UserId).Distinct().Count()), (summary.ItemsEnriched, summary.UsersEnriched));
        var spent = usage.Snapshot();
        Assert.Equal(reviews.Count + 2, spent.Requests);
        Assert.True(spent.InputTokens > spent.Requests * 50 && spent.OutputTokens > spent.Requests, $"{spent}");

        // The server's grammar kept every answer valid: only answers cut by max_tokens are invalid.
        Assert.Equal(reviews.Count, extractor.Counts.Reviews);
        Assert.True(extractor.Counts.InvalidOutputs < reviews.Count, $"{extractor.Counts}");

        // What is stored is what the engines accept: the LLM's engine id, keywords grounded in the user's own sentence.
        foreach (var userId in store.ProfileHashes().Keys)
        {
            var profile = store.FindProfile(userId)!;
            Assert.Equal(extractor.EngineId, profile.Engine);
            var own = reviews.Where(r => r.UserId == userId).ToList();
            Assert.All(profile.ReviewKeywords.SelectMany(k => k.Evidence.Select(e => (k, e))), x =>
            {
                Assert.NotNull(Grounding.Find(x.k.Text, x.e.Sentence));
                Assert.Contains(x.e.Sentence, ReviewText.Of(own.Single(r => r.Id == x.e.ReviewId)), StringComparison.Ordinal);
            });
        }

        var describer = services.GetRequiredService<IItemDescriber>().EngineId;
        Assert.All(store.Descriptions(), d => Assert.Contains(d.Engine, new[] { describer, LlmItemDescriber.FallbackEngine }));

        // Incremental: a second run asks the server nothing.
        var again = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
        Assert.Equal((0, 0), (again.ItemsEnriched, again.UsersEnriched));
        Assert.Equal(spent, usage.Snapshot());
    }

    [Fact]
    public async Task A_server_killed_mid_enrich_fails_the_run_naming_the_url_keeps_what_was_written_and_a_rerun_completes()
    {
        await using var server = await LlamaServer.StartAsync(slots: 1);
        using var dir = new TempDir();
        var path = SampleStore.Build(ingested.Path, dir.File("sample.db"));
        var settings = Settings(dir, server);

        // The items are described; then the server dies while the users' reviews are being read.
        List<ItemDescription> described;
        await using (var services = RealStore.Services(path, settings))
        {
            var enrichment = services.GetRequiredService<EnrichmentService>();
            Assert.Equal(SampleStore.Items.Length, (await enrichment.EnrichAsync(users: false, items: true, null, CancellationToken.None)).ItemsEnriched);
            described = [.. services.GetRequiredService<ExplainerStore>().Descriptions()];

            var answered = Released(server);
            var run = enrichment.EnrichAsync(users: true, items: false, null, CancellationToken.None);
            var clock = Stopwatch.StartNew();
            while (Released(server) < answered + 3 && !run.IsCompleted)
            {
                Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), "the server answered nothing");
                await Task.Delay(10);
            }

            server.Kill();
            var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => run);
            output.WriteLine(e.Message);
            Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);

            // Nothing half-written: the descriptions as they were, no profile from a batch that did not finish.
            var store = services.GetRequiredService<ExplainerStore>();
            Assert.Equal(described.Select(d => (d.ItemId, d.Text, d.InputHash)), store.Descriptions().Select(d => (d.ItemId, d.Text, d.InputHash)));
            Assert.Empty(store.ProfileHashes());
        }

        // The server is back: the rerun does only what is missing.
        await server.StartAsync();
        await using (var services = RealStore.Services(path, settings))
        {
            var rerun = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
            var store = services.GetRequiredService<ExplainerStore>();
            var users = store.Reviews().Select(r => r.UserId).Distinct().Count();
            Assert.Equal((0, SampleStore.Items.Length, users, 0), (rerun.ItemsEnriched, rerun.ItemsUnchanged, rerun.UsersEnriched, rerun.UsersUnchanged));
            Assert.Equal(users, store.ProfileHashes().Count);
        }
    }

    [Fact]
    public void Llm_endpoint_and_model_path_together_are_refused_naming_both()
    {
        using var dir = new TempDir();
        var e = Assert.Throws<OptionsValidationException>(() => RealStore.Services(dir.File("x.db"), [new("Llm:Endpoint", "http://127.0.0.1:9/v1"), new("Llm:ModelPath", TestPaths.StoriesModel)]));
        Assert.Contains("Llm:Endpoint", e.Message, StringComparison.Ordinal);
        Assert.Contains("Llm:ModelPath", e.Message, StringComparison.Ordinal);
    }

    /// <summary>The server as the LLM (few retries, so a dead one fails fast), prompts capped for the tiny model (a token per character).</summary>
    private static KeyValuePair<string, string?>[] Settings(TempDir dir, LlamaServer server) =>
    [
        new("Llm:Endpoint", server.Endpoint.ToString()),
        new("Llm:MaxConcurrency", "4"),
        new("Llm:MaxRetries", "1"),
        new("Llm:RetryDelaySeconds", "0.05"),
        new("Enrich:Engine", "llm"),
        new("Explain:PromptsPath", TestPrompts.Copy(
            dir,
            ("ExtractKeywords", "\"max_tokens\": 200", "\"max_tokens\": 120"),
            ("ExtractKeywords", "\"max_keywords\": 8, \"max_keyword_chars\": 40, \"max_review_chars\": 1500", "\"max_keywords\": 2, \"max_keyword_chars\": 12, \"max_review_chars\": 300"),
            ("DescribeItem", "\"max_tokens\": 120", "\"max_tokens\": 80"),
            ("DescribeItem", "\"max_text_chars\": 300", "\"max_text_chars\": 40"))),
    ];

    /// <summary>Requests the server has finished, from its log.</summary>
    private static int Released(LlamaServer server) => server.Log.Split('\n').Count(l => l.Contains("stop processing", StringComparison.Ordinal));
}
