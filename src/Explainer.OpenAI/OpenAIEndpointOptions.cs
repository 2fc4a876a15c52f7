namespace Explainer.OpenAI;

/// <summary>
/// An OpenAI-compatible server (llama-server, Ollama, vLLM, OpenAI itself). Bound from <c>Llm</c> for chat and from
/// <c>Encoder</c> for embeddings: <c>Llm:Endpoint=http://127.0.0.1:8080/v1</c> replaces the in-process model.
/// </summary>
public sealed class OpenAIEndpointOptions
{
    /// <summary>The API's base URL, ending in <c>/v1</c> for most servers. Empty = not used.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The model id to ask for; empty = the first model the server lists at <c>/models</c> (llama-server serves one).</summary>
    public string? Model { get; set; }

    /// <summary>Sent as a bearer token; local servers usually need none.</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Requests in flight at once: the server's parallel slots (llama-server <c>-np</c>, vLLM <c>--max-num-seqs</c>).
    /// More only queue on the server, where they can time out.
    /// </summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>
    /// One attempt's limit, from sending the request to its answer (retried when exceeded); for a streamed answer, the
    /// longest wait for its first or next token (not retried: part of the answer has been shown).
    /// </summary>
    public int TimeoutSeconds { get; set; } = 120;

    /// <summary>Retries of one request on 429, 5xx, timeouts and refused connections, with exponential backoff and jitter.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay; each next one doubles (with jitter).</summary>
    public double RetryDelaySeconds { get; set; } = 1;

    /// <summary>Texts per <c>/embeddings</c> request (encoder only).</summary>
    public int BatchSize { get; set; } = 64;

    /// <summary>
    /// Characters of one text sent to <c>/embeddings</c> (encoder only): servers reject inputs longer than the model's
    /// context instead of truncating them (llama-server caps it at the training context), as the local encoder does at
    /// its maximum sequence length. 2,000 characters fit 512 tokens of English text.
    /// </summary>
    public int MaxInputChars { get; set; } = 2000;

    public bool IsSet => !string.IsNullOrWhiteSpace(Endpoint);

    /// <summary>The endpoint as a URI, or a clear error naming the setting.</summary>
    public Uri EndpointUri(string section)
    {
        if (!Uri.TryCreate(Endpoint?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw new OpenAIEndpointException($"{section}:Endpoint '{Endpoint}' is not an http(s) URL (e.g. http://127.0.0.1:8080/v1).", (Uri?)null);
        }

        if (MaxConcurrency < 1 || TimeoutSeconds < 1 || MaxRetries < 0 || BatchSize < 1 || MaxInputChars < 1 || RetryDelaySeconds < 0)
        {
            throw new OpenAIEndpointException($"{section}: MaxConcurrency, TimeoutSeconds, BatchSize and MaxInputChars must be at least 1, MaxRetries and RetryDelaySeconds at least 0.", uri);
        }

        return uri;
    }
}
