using Microsoft.Extensions.AI;

namespace Explainer.Llama;

/// <summary>
/// Generates many independent completions together: each prompt is its own sequence in one llama_batch, up to
/// <see cref="ParallelSequences"/> at a time (continuous batching: a finished sequence is replaced at once).
/// At temperature 0 the outputs equal one-by-one runs. One call at a time per instance.
/// </summary>
public sealed class LlamaBatchGenerator : IDisposable
{
    private readonly LlamaModel _model;
    private readonly LlamaContext _context;
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <param name="model">The loaded model (not owned).</param>
    /// <param name="parallelSequences">Sequences decoded together; null = <see cref="LlamaOptions.ParallelSequences"/>.</param>
    public LlamaBatchGenerator(LlamaModel model, int? parallelSequences = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        _model = model;
        ParallelSequences = parallelSequences ?? model.Options.ParallelSequences;
        _context = LlamaContext.Create(model, ParallelSequences);
    }

    public int ParallelSequences { get; }

    /// <summary>Context length per sequence.</summary>
    public int ContextLength => _context.ContextPerSequence;

    /// <summary>Runs all <paramref name="requests"/>; results are in the same order.</summary>
    public async Task<IReadOnlyList<LlamaCompletion>> GenerateAsync(IReadOnlyList<LlamaRequest> requests, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() => LlamaEngine.Run(_context, requests, null, cancellationToken), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One chat response per conversation, with the same option mapping as the chat client (template, JSON schema, sampling).</summary>
    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(
        IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var requests = conversations.Select(c => ChatMapping.ToRequest(_model, c, options)).ToList();
        var created = DateTimeOffset.UtcNow;
        var completions = await GenerateAsync(requests, cancellationToken).ConfigureAwait(false);
        var modelId = Path.GetFileName(_model.Path);
        return completions.Select(c => ChatMapping.ToResponse(c, modelId, ChatMapping.NewResponseId(), created)).ToList();
    }

    public void Dispose()
    {
        _context.Dispose();
        _gate.Dispose();
    }
}
