using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Explainer.OpenAI.Tests;

/// <summary>What Explainer needs of a chat server beyond the common contract: JSON by schema, aborting, clear failures.</summary>
[Collection(SharedServerCollection.Name)]
public sealed class ServerChatTests(SharedServer shared, ITestOutputHelper output)
{
    private static readonly JsonElement KeywordSchema = JsonDocument.Parse("""
        {
          "type": "object",
          "properties": {
            "keywords": {
              "type": "array", "maxItems": 2,
              "items": {
                "type": "object",
                "properties": { "text": { "type": "string", "minLength": 1, "maxLength": 12 }, "polarity": { "enum": ["liked", "disliked"] } },
                "required": ["text", "polarity"]
              }
            }
          },
          "required": ["keywords"]
        }
        """).RootElement;

    [Fact]
    public async Task A_json_schema_request_is_answered_with_json_that_follows_the_schema()
    {
        using var client = OpenAIEndpoint.CreateChatClient(shared.Options());
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 120, ResponseFormat = ChatResponseFormat.ForJsonSchema(KeywordSchema, "keywords") };

        var response = await client.GetResponseAsync("Review: the strings sound bright and stay in tune.", options);
        output.WriteLine(response.Text);

        // stories260K knows nothing of JSON: only the server's grammar (from response_format) can make this parse.
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        using var json = JsonDocument.Parse(response.Text);
        var keywords = json.RootElement.GetProperty("keywords").EnumerateArray().ToList();
        Assert.True(keywords.Count <= 2);
        Assert.All(keywords, k => Assert.InRange(k.GetProperty("text").GetString()!.Length, 1, 12));
        Assert.All(keywords, k => Assert.Contains(k.GetProperty("polarity").GetString(), new[] { "liked", "disliked" }));
    }

    [Fact]
    public async Task Cancelling_aborts_the_request_on_the_server_and_frees_its_slot()
    {
        using var client = OpenAIEndpoint.CreateChatClient(shared.Options());
        using var cts = new CancellationTokenSource();
        var started = Stopwatch.StartNew();
        var request = client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 1, MaxOutputTokens = 100_000 }, cts.Token);
        await WaitUntilAsync(async () => await BusySlotsAsync() > 0, "the request to reach a slot");
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"cancelled after {started.Elapsed}");

        // The HTTP request was aborted, so the server stops generating: the slot is idle again long before 100,000 tokens.
        await WaitUntilAsync(async () => await BusySlotsAsync() == 0, "the server to free the slot");
    }

    [Fact]
    public async Task Streaming_reports_usage_and_the_same_finish_as_a_whole_response()
    {
        using var client = OpenAIEndpoint.CreateChatClient(shared.Options());
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 24 };
        var updates = await client.GetStreamingResponseAsync("Once upon a time", options).ToListAsync();
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;

        Assert.Equal(24, usage.OutputTokenCount);
        Assert.True(usage.InputTokenCount > 0);
        Assert.Equal(ChatFinishReason.Length, updates.Last(u => u.FinishReason is not null).FinishReason);
    }

    [Fact]
    public async Task Usage_counts_every_request_whole_or_streamed_with_the_tokens_the_server_reported()
    {
        var usage = new Explaining.LlmUsage();
        using var client = new Explaining.UsageCountingChatClient(OpenAIEndpoint.CreateChatClient(shared.Options()), usage);
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 10 };

        var whole = await client.GetResponseAsync("Once upon a time", options);
        await foreach (var _ in client.GetStreamingResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 7 }))
        {
        }

        var counted = usage.Snapshot();
        Assert.Equal(2, counted.Requests);
        Assert.Equal(17, counted.OutputTokens);
        Assert.Equal(2 * whole.Usage!.InputTokenCount, counted.InputTokens);
    }

    [Fact]
    public async Task A_model_the_server_does_not_serve_is_refused_naming_the_url_and_what_it_serves()
    {
        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => Task.Run(() => OpenAIEndpoint.CreateChatClient(shared.Options(o => o.Model = "gpt-4o"))));

        Assert.Contains(shared.Endpoint, e.Message, StringComparison.Ordinal);
        Assert.Contains("'gpt-4o'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{LlamaServer.Alias}'", e.Message, StringComparison.Ordinal);

        // The served id, or the file name of a served path, is accepted.
        using var client = OpenAIEndpoint.CreateChatClient(shared.Options(o => o.Model = LlamaServer.Alias));
        Assert.Equal(LlamaServer.Alias, client.GetService<ChatClientMetadata>()!.DefaultModelId);
    }

    [Fact]
    public async Task A_server_that_is_down_is_a_clear_error_naming_the_url_after_the_retries()
    {
        await using var server = await LlamaServer.StartAsync(slots: 1);
        var options = new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxRetries = 2, RetryDelaySeconds = 0.05 };
        using var client = OpenAIEndpoint.CreateChatClient(options);
        server.Kill();

        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => client.GetResponseAsync("Once upon a time", new ChatOptions { MaxOutputTokens = 4 }));
        output.WriteLine(e.Message);
        Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("not reachable", e.Message, StringComparison.Ordinal);
        Assert.Equal(server.Endpoint, e.Endpoint);

        // Down from the start: creating the client already says so.
        var atStart = Assert.Throws<OpenAIEndpointException>(() => OpenAIEndpoint.CreateChatClient(options));
        Assert.Contains(server.Endpoint.ToString(), atStart.Message, StringComparison.Ordinal);
        Assert.Contains("/models", atStart.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_that_comes_back_within_the_retries_answers_the_request()
    {
        await using var server = await LlamaServer.StartAsync(slots: 1);
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxRetries = 6, RetryDelaySeconds = 0.5 });
        server.Kill();

        var request = client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 8 });
        await server.StartAsync(); // the same port
        var response = await request;

        Assert.Equal(8, response.Usage?.OutputTokenCount);
    }

    [Fact]
    public async Task Saturation_many_concurrent_requests_on_one_slot_wait_and_none_fails()
    {
        await using var server = await LlamaServer.StartAsync(slots: 1);

        // The client caps what is in flight at the slots it is told (1); a client that sends more (4) makes the server queue them.
        foreach (var concurrency in new[] { 1, 4 })
        {
            using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxConcurrency = concurrency });
            var clock = Stopwatch.StartNew();
            var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i =>
                client.GetResponseAsync($"Once upon a time there was a {i}", new ChatOptions { Temperature = 0, MaxOutputTokens = 32 })));
            output.WriteLine($"max concurrency {concurrency}: 24 requests in {clock.Elapsed.TotalSeconds:F1} s");

            Assert.All(responses, r => Assert.Equal(32, r.Usage?.OutputTokenCount));
            Assert.Equal(24, responses.Select(r => r.ResponseId).Distinct().Count());
        }
    }

    private async Task<int> BusySlotsAsync()
    {
        using var http = new HttpClient();
        using var slots = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{shared.Server.Port}/slots")));
        return slots.RootElement.EnumerateArray().Count(s => s.GetProperty("is_processing").GetBoolean());
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }
}
