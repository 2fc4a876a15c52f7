using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Explainer.OpenAI;

/// <summary>
/// The OpenAI client as Explainer needs it: no more than <see cref="OpenAIEndpointOptions.MaxConcurrency"/> requests in
/// flight (the server's slots), failures as <see cref="OpenAIEndpointException"/> naming the URL, and a JSON-schema
/// request answered with something that is not JSON reported as a server that ignores <c>response_format</c> rather
/// than counted silently as a bad answer.
/// </summary>
internal sealed class EndpointChatClient(IChatClient inner, Uri endpoint, string model, int maxConcurrency, TimeSpan streamIdleTimeout, TimeSpan firstUpdateTimeout, IDisposable? owned) : DelegatingChatClient(inner)
{
    private readonly SemaphoreSlim _slots = new(maxConcurrency, maxConcurrency);
    private readonly ChatClientMetadata _metadata = new("openai-compatible", endpoint, model);

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            CheckJson(options, response.Text, response.FinishReason);
            return response;
        }
        catch (Exception e) when (EndpointErrors.Translate(e, endpoint, model, cancellationToken) is { } clear)
        {
            throw clear;
        }
        finally
        {
            _slots.Release();
        }
    }

    /// <remarks>
    /// The retry pipeline's attempt timeout ends when the response headers arrive, which for a stream is at its first
    /// byte; a server that then stalls is caught here: no update for <c>streamIdleTimeout</c> fails the stream.
    /// </remarks>
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            // Until the first update the retry pipeline may still be at work (attempts and backoff), so the first wait
            // gets the pipeline's whole budget; after it, each wait gets one timeout.
            idle.CancelAfter(firstUpdateTimeout);

            // yield cannot sit inside a try with a catch, so the enumerator is advanced by hand.
            var updates = base.GetStreamingResponseAsync(messages, options, idle.Token).GetAsyncEnumerator(idle.Token);
            await using (updates.ConfigureAwait(false))
            {
                while (true)
                {
                    ChatResponseUpdate update;
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }

                        update = updates.Current;
                    }
                    catch (OperationCanceledException e) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                    {
                        throw new OpenAIEndpointException($"The endpoint {endpoint} stopped streaming: nothing arrived in time (Llm:TimeoutSeconds, {streamIdleTimeout.TotalSeconds:0} s between tokens).", endpoint, e);
                    }
                    catch (Exception e) when (EndpointErrors.Translate(e, endpoint, model, cancellationToken) is { } clear)
                    {
                        throw clear;
                    }

                    idle.CancelAfter(Timeout.InfiniteTimeSpan); // the caller's time between updates is not the server's
                    yield return update;
                    idle.CancelAfter(streamIdleTimeout);
                }
            }
        }
        finally
        {
            _slots.Release();
        }
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? _metadata : base.GetService(serviceType, serviceKey);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _slots.Dispose();
            owned?.Dispose();
        }

        base.Dispose(disposing);
    }

    private void CheckJson(ChatOptions? options, string text, ChatFinishReason? finish)
    {
        if (options?.ResponseFormat is not ChatResponseFormatJson || finish == ChatFinishReason.Length)
        {
            return; // a length cut legitimately leaves JSON unfinished; the engines count those
        }

        try
        {
            using var _ = JsonDocument.Parse(text);
        }
        catch (JsonException)
        {
            var shown = text.Length > 120 ? text[..120] + "..." : text;
            throw new OpenAIEndpointException(
                $"The endpoint {endpoint} answered a JSON-schema request (response_format) with text that is not JSON: '{shown.ReplaceLineEndings(" ")}'. The server or model '{model}' does not honour response_format json_schema.",
                endpoint);
        }
    }
}
