using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Explainer.Llama;

/// <summary>
/// <see cref="IChatClient"/> over an in-process llama.cpp model: one context (one sequence), requests served one at a time.
/// For many independent prompts at once use <see cref="LlamaBatchGenerator"/>.
/// </summary>
internal sealed class LlamaChatClient : IChatClient
{
    private readonly LlamaModel _model;
    private readonly bool _ownsModel;
    private readonly ChatClientMetadata _metadata;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ILogger _logger;
    private LlamaContext? _context;
    private bool _disposed;

    public LlamaChatClient(LlamaModel model, bool ownsModel)
    {
        _model = model;
        _ownsModel = ownsModel;
        _metadata = new ChatClientMetadata("llama.cpp", providerUri: null, defaultModelId: Path.GetFileName(model.Path));
        _logger = model.LoggerFactory.CreateLogger<LlamaChatClient>();
    }

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var request = ChatMapping.ToRequest(_model, messages, options);
        var responseId = ChatMapping.NewResponseId();
        var created = DateTimeOffset.UtcNow;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var context = Context();
            var completion = await Task.Run(() => LlamaEngine.Run(context, [request], null, cancellationToken)[0], cancellationToken).ConfigureAwait(false);
            _logger.LogDebug("Generated {Output} tokens from {Input} prompt tokens", completion.Tokens.Count, completion.PromptTokens);
            return ChatMapping.ToResponse(completion, _metadata.DefaultModelId!, responseId, created);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var request = ChatMapping.ToRequest(_model, messages, options);
        var responseId = ChatMapping.NewResponseId();
        var created = DateTimeOffset.UtcNow;
        var modelId = _metadata.DefaultModelId;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        Task<LlamaCompletion>? producer = null;
        try
        {
            var context = Context();
            producer = Task.Run(
                () =>
                {
                    try
                    {
                        var result = LlamaEngine.Run(context, [request], (_, text) => channel.Writer.TryWrite(text), stop.Token)[0];
                        channel.Writer.TryComplete();
                        return result;
                    }
                    catch (Exception e)
                    {
                        channel.Writer.TryComplete(e);
                        throw;
                    }
                },
                CancellationToken.None);

            await foreach (var text in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // ReadAllAsync drains what is buffered without looking at the token: a cancelled caller gets nothing more.
                cancellationToken.ThrowIfCancellationRequested();
                yield return new ChatResponseUpdate(ChatRole.Assistant, text)
                {
                    ResponseId = responseId,
                    MessageId = responseId,
                    ModelId = modelId,
                    CreatedAt = created,
                };
            }

            var completion = await producer.ConfigureAwait(false);
            yield return new ChatResponseUpdate
            {
                Role = ChatRole.Assistant,
                ResponseId = responseId,
                MessageId = responseId,
                ModelId = modelId,
                CreatedAt = created,
                FinishReason = ChatMapping.ToFinishReason(completion.FinishReason),
                Contents = [new UsageContent(ChatMapping.ToUsage(completion))],
                RawRepresentation = completion,
            };
        }
        finally
        {
            // Stop the generation in flight (it checks between tokens and aborts llama_decode) and wait for it,
            // so the context is free and consistent before the next caller gets it.
            await stop.CancelAsync().ConfigureAwait(false);
            if (producer is not null)
            {
                try
                {
                    await producer.ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or LlamaException)
                {
                    // already surfaced through the channel, or the caller cancelled
                }
            }

            _gate.Release();
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType == typeof(LlamaModel) ? _model
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _context?.Dispose();
        if (_ownsModel)
        {
            _model.Dispose();
        }

        _gate.Dispose();
    }

    private LlamaContext Context()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _context ??= LlamaContext.Create(_model, 1);
    }
}
