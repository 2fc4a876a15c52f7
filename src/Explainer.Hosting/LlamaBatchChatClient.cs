using Explainer.Explaining;
using Explainer.Llama;
using Microsoft.Extensions.AI;

namespace Explainer.Hosting;

/// <summary>
/// The enrichment engines' batches on the in-process model: llama.cpp's batch generator decodes up to
/// <c>Llm:ParallelSequences</c> conversations in one loop. Its context is made on first use and freed with the container.
/// </summary>
public sealed class LlamaBatchChatClient(LlamaModel model) : IBatchChatClient, IDisposable
{
    private readonly Lazy<LlamaBatchGenerator> _generator = new(() => new LlamaBatchGenerator(model));

    public Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options, CancellationToken cancellationToken) =>
        _generator.Value.GetResponsesAsync(conversations, options, cancellationToken);

    public void Dispose()
    {
        if (_generator.IsValueCreated)
        {
            _generator.Value.Dispose();
        }
    }
}
