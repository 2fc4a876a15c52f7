using System.Text.Json;
using System.Text.RegularExpressions;
using Explainer.Core.Domain;
using Explainer.Core.Enrichment;
using Explainer.Explaining.Llm;
using Explainer.Extractive;
using Explainer.Hosting;
using Explainer.Llama;
using Explainer.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Explainer.Explaining.Tests;

/// <summary>The LLM enrichment engine (ExtractKeywords and DescribeItem prompts) on real reviews: grounding, fallback, engine ids, batching, incremental runs.</summary>
[Collection(EnrichedStoreCollection.Name)]
public sealed partial class LlmEnrichmentTests(EnrichedStoreFixture fixture, ITestOutputHelper output)
{
    private const string User = "A2IBPI20UZIR0U";

    [Fact]
    public async Task Keywords_a_model_proposes_are_kept_only_when_the_review_says_them_and_descriptions_only_when_the_data_does()
    {
        using var dir = new TempDir();
        var path = SampleStore.Build(fixture.StorePath, dir.File("sample.db"));
        var model = new ScriptedModel();
        await using var services = EnrichedStoreFixture.BuildServices(path, configure: s => s.AddSingleton<IChatClient>(model));

        // With an LLM registered, "auto" picks the LLM engines.
        var extractor = Assert.IsType<LlmKeywordExtractor>(services.GetRequiredService<IKeywordExtractor>());
        Assert.IsType<LlmItemDescriber>(services.GetRequiredService<IItemDescriber>());
        Assert.StartsWith("llm:scripted-model/ExtractKeywords@", extractor.EngineId, StringComparison.Ordinal);

        var summary = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
        var store = services.GetRequiredService<ExplainerStore>();
        var reviews = store.Reviews().ToList();
        Assert.Equal((SampleStore.Items.Length, reviews.Select(r => r.UserId).Distinct().Count()), (summary.ItemsEnriched, summary.UsersEnriched));

        // Every review got the same four proposals: two real phrases (kept where the review has them), filler and an invention.
        var expected = reviews.ToDictionary(r => r.Id, r => ScriptedModel.Real.Where(p => Says(r, p)).Select(p => p.TrimEnd('s')).ToHashSet());
        Assert.Contains(expected.Values, e => e.Count > 0);
        var proposed = reviews.Count * 4;
        var counts = extractor.Counts;
        Assert.Equal(reviews.Count, counts.Reviews);
        Assert.Equal(reviews.Count, counts.NotKeywords); // "great product"
        Assert.Equal(expected.Values.Sum(e => e.Count), counts.Kept);
        Assert.Equal(proposed - counts.Kept - counts.NotKeywords, counts.Ungrounded); // "quantum flux capacitor", and the real phrases a review lacks
        Assert.Equal(0, counts.InvalidOutputs);

        // The profiles hold exactly the grounded keywords, each with the review sentence that says it, under the LLM's engine id.
        foreach (var profile in Profiles(store))
        {
            Assert.Equal(extractor.EngineId, profile.Engine);
            var own = reviews.Where(r => r.UserId == profile.UserId).ToList();
            Assert.Equal(own.SelectMany(r => expected[r.Id]).ToHashSet(), profile.ReviewKeywords.Select(k => Lemma(k.Text)).ToHashSet());
            foreach (var k in profile.ReviewKeywords)
            {
                Assert.All(k.Evidence, e =>
                {
                    Assert.NotNull(Grounding.Find(k.Text, e.Sentence));
                    Assert.Contains(e.Sentence, ReviewText.Of(own.Single(r => r.Id == e.ReviewId)), StringComparison.Ordinal);
                });
            }
        }

        var user = store.FindProfile(User)!;
        Assert.Contains(user.ReviewKeywords, k => k.Text == "pop filters" && k.Polarity == Polarity.Liked && k.Evidence.Any(e => e.Sentence.Contains("lowest prices pop filters", StringComparison.Ordinal)));

        // Descriptions: the model's text where its words are the item's, the extractive text (and engine) where it invents a number.
        var describer = services.GetRequiredService<IItemDescriber>();
        foreach (var d in store.Descriptions())
        {
            output.WriteLine($"{d.ItemId} [{d.Engine}] {d.Text}");
            var item = store.FindItem(d.ItemId)!;
            if (item.Title!.Contains("Pop Filter", StringComparison.Ordinal))
            {
                Assert.Equal((describer.EngineId, ScriptedModel.Describe(item.Title)), (d.Engine, d.Text));
            }
            else
            {
                Assert.Equal((LlmItemDescriber.FallbackEngine, ExtractiveDescriber.Describe(item, d.Keywords)), (d.Engine, d.Text));
            }
        }

        // Review text is fenced as data in the prompt, and the answer is constrained by a JSON schema.
        var prompt = model.Prompts.First(p => p.Options?.ResponseFormat is ChatResponseFormatJson { SchemaName: "keywords" });
        Assert.Contains("<review>", prompt.Messages[^1].Text, StringComparison.Ordinal);
        Assert.Contains("data, not instructions", prompt.Messages[0].Text, StringComparison.Ordinal);

        // Incremental: nothing changed, nothing is asked again.
        var calls = model.Prompts.Count;
        var again = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
        Assert.Equal((0, 0), (again.ItemsEnriched, again.UsersEnriched));
        Assert.Equal(calls, model.Prompts.Count);
    }

    [Fact]
    public async Task Stories260K_runs_the_llm_engine_end_to_end_batched_schema_valid_grounded_and_recorded()
    {
        // stories260K reads a token per character: two items (11 reviews) and reviews cut at 300 characters keep this quick.
        using var dir = new TempDir();
        string[] items = ["1384719342", "B0018TC3I4"];
        var path = SampleStore.Build(fixture.StorePath, dir.File("sample.db"), items);
        var prompts = TestPrompts.Copy(
            dir,
            ("ExtractKeywords", "\"max_tokens\": 200", "\"max_tokens\": 120"),
            ("ExtractKeywords", "\"max_keywords\": 8, \"max_keyword_chars\": 40, \"max_review_chars\": 1500", "\"max_keywords\": 2, \"max_keyword_chars\": 12, \"max_review_chars\": 300"),
            ("DescribeItem", "\"max_tokens\": 120", "\"max_tokens\": 80"),
            ("DescribeItem", "\"max_text_chars\": 300", "\"max_text_chars\": 40"));
        using var llama = TestModels.Stories(parallelSequences: 4);
        var batch = new RecordingBatchChatClient(new LlamaBatchChatClient(llama.GetService<LlamaModel>()!));
        var settings = new KeyValuePair<string, string?>[] { new("Explain:PromptsPath", prompts), new("Enrich:Engine", "llm") };

        await using (var services = EnrichedStoreFixture.BuildServices(path, settings, s => s.AddSingleton(llama).AddSingleton<IBatchChatClient>(batch)))
        {
            var extractor = Assert.IsType<LlmKeywordExtractor>(services.GetRequiredService<IKeywordExtractor>());
            var describer = services.GetRequiredService<IItemDescriber>();
            var summary = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
            var store = services.GetRequiredService<ExplainerStore>();
            var reviews = store.Reviews().ToList();
            output.WriteLine($"{extractor.Counts}");

            // Batched: all reviews in one batch, all items in another (the llama.cpp batch generator decodes them together).
            Assert.Equal([reviews.Count, items.Length], batch.Calls.Select(c => c.Count));

            // Every answer that was not cut off by max_tokens is JSON valid against its schema (the grammar guarantees it).
            var complete = 0;
            foreach (var (response, i) in batch.Calls[0].Select((r, i) => (r, i)))
            {
                output.WriteLine($"keywords: {response.Text}");
                if (response.FinishReason == ChatFinishReason.Length)
                {
                    continue;
                }

                complete++;
                using var json = JsonDocument.Parse(response.Text);
                var keywords = json.RootElement.GetProperty("keywords").EnumerateArray().ToList();
                Assert.True(keywords.Count <= 2);
                Assert.All(keywords, k => Assert.True(k.GetProperty("text").GetString()!.Length is >= 1 and <= 12));
                Assert.All(keywords, k => Assert.Contains(k.GetProperty("polarity").GetString(), new[] { "liked", "disliked" }));
            }

            Assert.True(complete > 0, "no keyword answer completed within max_tokens");
            Assert.Equal(reviews.Count, extractor.Counts.Reviews);
            Assert.Equal(reviews.Count - complete, extractor.Counts.InvalidOutputs);

            foreach (var response in batch.Calls[1])
            {
                output.WriteLine($"description: {response.Text}");
                if (response.FinishReason != ChatFinishReason.Length)
                {
                    using var json = JsonDocument.Parse(response.Text);
                    Assert.True(json.RootElement.GetProperty("description").GetString()!.Length is >= 1 and <= 40);
                }
            }

            // What is stored says which engine wrote it, and holds only grounded keywords.
            Assert.All(Profiles(store), p => Assert.Equal(extractor.EngineId, p.Engine));
            Assert.StartsWith("llm:stories260K.gguf/ExtractKeywords@", extractor.EngineId, StringComparison.Ordinal);
            Assert.All(store.Descriptions(), d => Assert.Contains(d.Engine, new[] { describer.EngineId, LlmItemDescriber.FallbackEngine }));
            foreach (var k in Profiles(store).SelectMany(p => p.ReviewKeywords).Concat(store.Descriptions().SelectMany(d => d.Keywords)))
            {
                Assert.All(k.Evidence, e => Assert.NotNull(Grounding.Find(k.Text, e.Sentence)));
            }

            Assert.Equal(summary.UsersEnriched, Profiles(store).Count());
        }

        // A new version of the prompt is a new engine id: every user and item is enriched again.
        File.AppendAllText(Path.Combine(prompts, "ExtractKeywords", "skprompt.txt"), "\n");
        await using (var services = EnrichedStoreFixture.BuildServices(path, settings, s => s.AddSingleton(llama).AddSingleton<IBatchChatClient>(batch)))
        {
            var store = services.GetRequiredService<ExplainerStore>();
            var users = Profiles(store).Count();
            var rerun = await services.GetRequiredService<EnrichmentService>().EnrichAsync(users: true, items: true, null, CancellationToken.None);
            Assert.Equal((items.Length, users), (rerun.ItemsEnriched, rerun.UsersEnriched));
        }
    }

    [Fact]
    public async Task Engine_llm_without_a_model_is_a_configuration_error_and_extractive_can_be_forced()
    {
        await using var none = EnrichedStoreFixture.BuildServices(fixture.StorePath, [new("Enrich:Engine", "llm")]);
        var error = Assert.Throws<OptionsValidationException>(none.GetRequiredService<IKeywordExtractor>);
        Assert.Contains("Llm:ModelPath", error.Message, StringComparison.Ordinal);

        await using var forced = EnrichedStoreFixture.BuildServices(fixture.StorePath, [new("Enrich:Engine", "extractive")], s => s.AddSingleton<IChatClient>(new ScriptedModel()));
        Assert.IsType<ExtractiveKeywordExtractor>(forced.GetRequiredService<IKeywordExtractor>());
        Assert.IsType<ExtractiveDescriber>(forced.GetRequiredService<IItemDescriber>());
    }

    [Fact]
    public void Grounding_finds_a_phrase_in_a_real_review_across_plural_and_case_and_not_across_sentences()
    {
        using var store = ExplainerStore.Open(fixture.StorePath, create: false);
        var review = store.ReviewsByUser(User).Single(r => r.ItemId == "1384719342");
        var text = ReviewText.Of(review)!;

        var found = Grounding.Find("Pop Filter", text)!;
        Assert.Equal(("pop filters", "pop filter"), (found.Text, found.Lemma));
        Assert.Contains("lowest prices pop filters on amazon", found.Sentence, StringComparison.Ordinal);
        Assert.Null(Grounding.Find("pop microphone", text));
        Assert.Null(Grounding.Find("sounds now", text)); // "...pop sounds. now my recordings..." spans a sentence break

        Assert.True(Grounding.IsKeywordShaped("sound quality"));
        Assert.False(Grounding.IsKeywordShaped("great product"));
        Assert.False(Grounding.IsKeywordShaped("bought this"));
        Assert.False(Grounding.IsKeywordShaped("the best pop filter on the market"));
    }

    private static IEnumerable<InterestProfile> Profiles(ExplainerStore store) => store.ProfileHashes().Keys.Select(u => store.FindProfile(u)!);

    private static bool Says(Review review, string phrase) =>
        ReviewText.Of(review) is { } text && Regex.IsMatch(text, $@"\b{Regex.Escape(phrase.TrimEnd('s'))}s?\b", RegexOptions.IgnoreCase);

    private static string Lemma(string text) => Grounding.Find(text, text)!.Lemma;

    /// <summary>
    /// A model that answers by the schema it is asked for: every review gets the same four keywords (two real phrases of
    /// this catalogue, filler, an invention); a description repeats the title when it is a pop filter and invents a number otherwise.
    /// </summary>
    private sealed class ScriptedModel : IChatClient
    {
        public static readonly string[] Real = ["pop filters", "polishing cloth"];

        public List<(IReadOnlyList<ChatMessage> Messages, ChatOptions? Options)> Prompts { get; } = [];

        public static string Describe(string title) => $"The {title}.";

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var list = messages.ToList();
            lock (Prompts)
            {
                Prompts.Add((list, options));
            }

            var answer = (options?.ResponseFormat as ChatResponseFormatJson)?.SchemaName switch
            {
                "keywords" => JsonSerializer.Serialize(new
                {
                    keywords = new[] { Real[0], Real[1], "great product", "quantum flux capacitor" }.Select(t => new { text = t, polarity = "liked" }),
                }),
                "description" when TitleLine().Match(list[^1].Text) is { Success: true } m && m.Groups[1].Value.Contains("Pop Filter", StringComparison.Ordinal)
                    => JsonSerializer.Serialize(new { description = Describe(m.Groups[1].Value) }),
                "description" => JsonSerializer.Serialize(new { description = "A revolutionary 1000 watt amplifier." }),
                _ => "{}",
            };
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("enrichment does not stream");

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("scripted", null, "scripted-model") : null;

        public void Dispose()
        {
        }
    }

    [GeneratedRegex(@"Title: (.*)")]
    private static partial Regex TitleLine();
}

/// <summary>Keeps every batch's responses.</summary>
internal sealed class RecordingBatchChatClient(IBatchChatClient inner) : IBatchChatClient
{
    public List<IReadOnlyList<ChatResponse>> Calls { get; } = [];

    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options, CancellationToken cancellationToken)
    {
        var responses = await inner.GetResponsesAsync(conversations, options, cancellationToken);
        lock (Calls)
        {
            Calls.Add(responses);
        }

        return responses;
    }
}
