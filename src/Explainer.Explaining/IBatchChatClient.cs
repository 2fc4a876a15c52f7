using Microsoft.Extensions.AI;

namespace Explainer.Explaining;

/// <summary>
/// Many independent chats with the same options, answered together. Microsoft.Extensions.AI has no batch call, so the
/// enrichment engines take this: the in-process llama.cpp model implements it with its batch generator (one decode loop
/// for all sequences), any other <see cref="IChatClient"/> through <see cref="ConcurrentBatchChatClient"/>.
/// </summary>
public interface IBatchChatClient
{
    /// <summary>One response per conversation, in the same order.</summary>
    Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options, CancellationToken cancellationToken);
}

/// <summary>A batch as concurrent single requests (a server such as llama-server or vLLM batches them itself).</summary>
public sealed class ConcurrentBatchChatClient(IChatClient client, int maxConcurrency = 4) : IBatchChatClient
{
    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(conversations);
        var responses = new ChatResponse[conversations.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, conversations.Count),
            new ParallelOptions { MaxDegreeOfParallelism = maxConcurrency, CancellationToken = cancellationToken },
            async (i, token) => responses[i] = await client.GetResponseAsync(conversations[i], options?.Clone(), token).ConfigureAwait(false)).ConfigureAwait(false);
        return responses;
    }
}
