using System.ClientModel;
using System.Net.Sockets;
using System.Text.Json;
using Polly.Timeout;

namespace Explainer.OpenAI;

/// <summary>
/// Turns what the OpenAI client, HttpClient and the retry pipeline throw into one <see cref="OpenAIEndpointException"/>
/// that says which URL failed and how, so `enrich` and `serve` can print one line a user can act on.
/// </summary>
internal static class EndpointErrors
{
    public static OpenAIEndpointException? Translate(Exception e, Uri endpoint, string model, CancellationToken cancellationToken)
    {
        if (e is OpenAIEndpointException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            return null; // ours already, or the caller cancelled: let it through unchanged
        }

        var why = e switch
        {
            ClientResultException { Status: 404 } c => $"answered 404: no such model or path (is '{model}' served, and does the URL end in /v1?) {Body(c)}",
            ClientResultException { Status: 401 or 403 } c => $"refused the request ({c.Status}): check Llm:ApiKey / Encoder:ApiKey {Body(c)}",
            ClientResultException { Status: 400 } c => $"rejected the request as invalid (400) {Body(c)}",
            ClientResultException { Status: 408 or 429 or >= 500 } c => $"answered HTTP {c.Status} after retries {Body(c)}",
            ClientResultException { Status: > 0 } c => $"answered HTTP {c.Status} {Body(c)}",
            ClientResultException { InnerException: { } inner } => Network(inner),
            HttpRequestException h => Network(h),
            TimeoutRejectedException or TimeoutException or OperationCanceledException => "did not answer in time (Llm:TimeoutSeconds), after retries",
            // What the SDK throws when it cannot read a 200 answer; a disposed client is a bug here, not the server's doing.
            ObjectDisposedException => null,
            JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException => $"answered something that is not an OpenAI response ({e.Message})",
            _ => null,
        };
        return why is null ? null : new OpenAIEndpointException($"The endpoint {endpoint} {why}", endpoint, e);
    }

    private static string Network(Exception e) => e switch
    {
        HttpRequestException { InnerException: SocketException s } => $"is not reachable ({s.SocketErrorCode}: {s.Message}), after retries",
        HttpRequestException { InnerException: IOException io } => $"dropped the connection ({io.Message})",
        _ => $"is not reachable ({e.Message}), after retries",
    };

    private static string Body(ClientResultException e)
    {
        var text = e.GetRawResponse()?.Content?.ToString();
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        text = text.ReplaceLineEndings(" ").Trim();
        return $"- server said: {(text.Length > 200 ? text[..200] + "..." : text)}";
    }
}
