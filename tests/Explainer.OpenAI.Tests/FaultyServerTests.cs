using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Xunit.Abstractions;

namespace Explainer.OpenAI.Tests;

/// <summary>What the client says when a server answers, but not as an OpenAI server should.</summary>
public sealed class FaultyServerTests(ITestOutputHelper output)
{
    private static readonly ChatOptions JsonRequest = new() { ResponseFormat = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"keywords":{"type":"array"}}}""").RootElement, "keywords") };

    [Fact]
    public async Task A_server_that_ignores_response_format_is_named_as_such_not_counted_as_a_bad_answer()
    {
        await using var server = FaultyServer.Start(c => FaultyServer.WriteAsync(c, 200, "application/json", FaultyServer.Completion("Sure! Here are the keywords: tone, tuning.")));
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString() });

        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => client.GetResponseAsync("Review: great tone.", JsonRequest));
        output.WriteLine(e.Message);
        Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("does not honour response_format", e.Message, StringComparison.Ordinal);
        Assert.Contains("Sure! Here are the keywords", e.Message, StringComparison.Ordinal);

        // The same text without a schema is a normal answer.
        var plain = await client.GetResponseAsync("Review: great tone.");
        Assert.StartsWith("Sure!", plain.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_html_page_where_an_answer_was_expected_says_it_is_not_an_openai_response()
    {
        await using var server = FaultyServer.Start(c => FaultyServer.WriteAsync(c, 200, "text/html", "<html><body>Please log in to the proxy</body></html>"));
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString() });

        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => client.GetResponseAsync("hello"));
        output.WriteLine(e.Message);
        Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.Contains("not an OpenAI response", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_error_is_not_retried_and_not_reported_as_after_retries()
    {
        await using var server = FaultyServer.Start(c => FaultyServer.WriteAsync(c, 422, "application/json", """{"error":{"message":"max_tokens is too large for this model"}}"""));
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxRetries = 3, RetryDelaySeconds = 0.01 });

        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => client.GetResponseAsync("hello"));
        output.WriteLine(e.Message);
        Assert.Contains("HTTP 422", e.Message, StringComparison.Ordinal);
        Assert.Contains("max_tokens is too large", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("retries", e.Message, StringComparison.Ordinal);
        Assert.Single(server.Requests, p => p.EndsWith("/chat/completions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_server_error_is_retried_and_reported_after_the_retries()
    {
        await using var server = FaultyServer.Start(c => FaultyServer.WriteAsync(c, 503, "application/json", """{"error":{"message":"loading model"}}"""));
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), MaxRetries = 2, RetryDelaySeconds = 0.01 });

        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(() => client.GetResponseAsync("hello"));
        output.WriteLine(e.Message);
        Assert.Contains("HTTP 503 after retries", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, server.Requests.Count(p => p.EndsWith("/chat/completions", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_stream_that_stalls_after_its_first_token_fails_after_the_timeout_naming_the_url()
    {
        await using var server = FaultyServer.Start(async c =>
        {
            c.Response.StatusCode = 200;
            c.Response.ContentType = "text/event-stream";
            c.Response.SendChunked = true;
            var first = System.Text.Encoding.UTF8.GetBytes(FaultyServer.Chunk("Once"));
            await c.Response.OutputStream.WriteAsync(first);
            await c.Response.OutputStream.FlushAsync();
            await Task.Delay(TimeSpan.FromSeconds(60)); // then nothing: a hung server
        });
        using var client = OpenAIEndpoint.CreateChatClient(new OpenAIEndpointOptions { Endpoint = server.Endpoint.ToString(), TimeoutSeconds = 2 });

        var received = new List<string>();
        var clock = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<OpenAIEndpointException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Once upon a time"))
            {
                received.Add(update.Text);
                await Task.Delay(TimeSpan.FromSeconds(3)); // a slow reader: its own time does not count against the server
            }
        });
        output.WriteLine(e.Message);
        Assert.Equal(["Once"], received);
        Assert.Contains("stopped streaming", e.Message, StringComparison.Ordinal);
        Assert.Contains(server.Endpoint.ToString(), e.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(4.5), TimeSpan.FromSeconds(30));
    }
}
