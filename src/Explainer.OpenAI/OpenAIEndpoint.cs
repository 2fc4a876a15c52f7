using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenAI;
using Polly;

namespace Explainer.OpenAI;

/// <summary>
/// Builds the <see cref="IChatClient"/> and <see cref="IEmbeddingGenerator{TInput,TEmbedding}"/> for an OpenAI-compatible
/// server. The OpenAI client's own retries are off: one resilience pipeline (Microsoft.Extensions.Http.Resilience) retries
/// 429, 5xx, timeouts and refused connections with exponential backoff and jitter, honouring Retry-After.
/// </summary>
public static class OpenAIEndpoint
{
    /// <summary>A chat client for <paramref name="options"/> (section <c>Llm</c>); checks the server and its model first.</summary>
    public static IChatClient CreateChatClient(OpenAIEndpointOptions options, ILoggerFactory? loggerFactory = null, string section = "Llm")
    {
        var (client, http, endpoint) = Connect(options, section, loggerFactory);
        try
        {
            var model = ResolveModel(client, options, endpoint, section);
            var inner = client.GetChatClient(model).AsIChatClient();
            var attempt = TimeSpan.FromSeconds(options.TimeoutSeconds);
            var backoff = TimeSpan.FromSeconds(options.RetryDelaySeconds * (Math.Pow(2, options.MaxRetries) - 1) * 1.5); // with jitter's margin
            return new EndpointChatClient(inner, endpoint, DisplayId(model), options.MaxConcurrency, attempt, (attempt * (options.MaxRetries + 1)) + backoff, http);
        }
        catch
        {
            http.Dispose(); // nothing else owns it yet
            throw;
        }
    }

    /// <summary>An embedding generator for <paramref name="options"/> (section <c>Encoder</c>); learns the dimension from one probe.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> CreateEmbeddingGenerator(OpenAIEndpointOptions options, ILoggerFactory? loggerFactory = null, string section = "Encoder")
    {
        var (client, http, endpoint) = Connect(options, section, loggerFactory);
        try
        {
            var model = ResolveModel(client, options, endpoint, section);
            var embeddings = client.GetEmbeddingClient(model);
            int dimension;
            try
            {
                // The SDK's synchronous call (a blocking HTTP request, not a task waited on): DI factories are synchronous.
                dimension = embeddings.GenerateEmbedding("dimension probe").Value.ToFloats().Length;
            }
            catch (Exception e) when (EndpointErrors.Translate(e, endpoint, model, CancellationToken.None) is { } clear)
            {
                throw new OpenAIEndpointException($"{clear.Message} (asking for an embedding; a llama-server needs --embedding)", endpoint, e);
            }

            return new EndpointEmbeddingGenerator(embeddings.AsIEmbeddingGenerator(), endpoint, DisplayId(model), dimension, options.BatchSize, options.MaxConcurrency, options.MaxInputChars, http);
        }
        catch
        {
            http.Dispose(); // nothing else owns it yet
            throw;
        }
    }

    /// <summary>
    /// The model's name in engine ids and encoder ids: llama-server without --alias names its model by the path it was
    /// given, which says nothing about the model and changes with the machine, so a .gguf path becomes its file name.
    /// </summary>
    internal static string DisplayId(string served) =>
        served.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? Path.GetFileName(served) : served;

    /// <summary>The HTTP pipeline: attempt timeout inside retries, no HttpClient timeout of its own.</summary>
    internal static HttpClient CreateHttpClient(OpenAIEndpointOptions options, ILogger logger)
    {
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = Math.Max(1, options.MaxRetries),
                ShouldHandle = options.MaxRetries == 0 ? _ => ValueTask.FromResult(false) : new HttpRetryStrategyOptions().ShouldHandle,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(options.RetryDelaySeconds),
                OnRetry = args =>
                {
                    logger.LogWarning("Retrying {Endpoint} (attempt {Attempt}) in {Delay:F1} s: {Why}", options.Endpoint, args.AttemptNumber + 2, args.RetryDelay.TotalSeconds,
                        args.Outcome.Exception?.Message ?? $"HTTP {(int?)args.Outcome.Result?.StatusCode}");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(TimeSpan.FromSeconds(options.TimeoutSeconds))
            .Build();
        var handler = new ResilienceHandler(pipeline)
        {
            InnerHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = options.MaxConcurrency + 2 },
        };
        return new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private static (OpenAIClient Client, HttpClient Http, Uri Endpoint) Connect(OpenAIEndpointOptions options, string section, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var endpoint = options.EndpointUri(section);
        var http = CreateHttpClient(options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Explainer.OpenAI"));
        var client = new OpenAIClient(
            new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "none" : options.ApiKey),
            new OpenAIClientOptions
            {
                Endpoint = endpoint,
                Transport = new HttpClientPipelineTransport(http),
                RetryPolicy = new ClientRetryPolicy(maxRetries: 0), // the resilience pipeline retries
                NetworkTimeout = Timeout.InfiniteTimeSpan,          // and times out each attempt
            });
        return (client, http, endpoint);
    }

    /// <summary>The configured model, checked against <c>/models</c>; or the server's only (first) model when none is configured.</summary>
    private static string ResolveModel(OpenAIClient client, OpenAIEndpointOptions options, Uri endpoint, string section)
    {
        IReadOnlyList<string> served;
        try
        {
            served = [.. client.GetOpenAIModelClient().GetModels().Value.Select(m => m.Id)];
        }
        catch (Exception e) when (EndpointErrors.Translate(e, endpoint, options.Model ?? "", CancellationToken.None) is { } clear)
        {
            throw new OpenAIEndpointException($"{clear.Message} (listing its models at /models)", endpoint, e);
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            return served.Count > 0
                ? served[0]
                : throw new OpenAIEndpointException($"The endpoint {endpoint} lists no models at /models; set {section}:Model.", endpoint);
        }

        // Servers differ in how they name a model (llama-server: the file path or --alias; Ollama: name:tag), so a
        // configured id must match one listed, exactly or as the file name of a listed path.
        var wanted = options.Model.Trim();
        return served.FirstOrDefault(id => id == wanted || Path.GetFileName(id) == wanted) is { } found
            ? found
            : throw new OpenAIEndpointException($"The endpoint {endpoint} does not serve the model '{wanted}' ({section}:Model); it serves: {string.Join(", ", served.Select(s => $"'{s}'"))}.", endpoint);
    }
}
