using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Explainer.Explaining;

/// <summary>Requests and tokens spent on the LLM by this process, so a run can say what it cost (in-process or a server).</summary>
public sealed class LlmUsage
{
    private long _requests, _input, _output;

    public LlmUsageSnapshot Snapshot() => new(Interlocked.Read(ref _requests), Interlocked.Read(ref _input), Interlocked.Read(ref _output));

    public void Add(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Add(response.Usage);
    }

    /// <summary>One request and its usage (null when the model did not report it).</summary>
    public void Add(UsageDetails? usage)
    {
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _input, usage?.InputTokenCount ?? 0);
        Interlocked.Add(ref _output, usage?.OutputTokenCount ?? 0);
    }
}

/// <summary>Usage at one moment; subtract two to get a run's.</summary>
public readonly record struct LlmUsageSnapshot(long Requests, long InputTokens, long OutputTokens)
{
    public static LlmUsageSnapshot operator -(LlmUsageSnapshot a, LlmUsageSnapshot b) => new(a.Requests - b.Requests, a.InputTokens - b.InputTokens, a.OutputTokens - b.OutputTokens);

    public LlmUsageSnapshot Subtract(LlmUsageSnapshot other) => this - other;
}

/// <summary>
/// Counts every request through the chat client (explanations, chat requests, and batches sent as concurrent
/// requests); streamed answers count the usage their last update carries.
/// </summary>
public sealed class UsageCountingChatClient(IChatClient inner, LlmUsage usage) : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        usage.Add(response);
        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        UsageDetails? reported = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    (reported ??= new UsageDetails()).Add(content.Details);
                }

                yield return update;
            }
        }
        finally
        {
            usage.Add(reported); // failed and abandoned streams are requests too
        }
    }
}

/// <summary>Counts the batches of the in-process batch generator, which does not go through the chat client.</summary>
public sealed class UsageCountingBatchChatClient(IBatchChatClient inner, LlmUsage usage) : IBatchChatClient
{
    public async Task<IReadOnlyList<ChatResponse>> GetResponsesAsync(IReadOnlyList<IEnumerable<ChatMessage>> conversations, ChatOptions? options, CancellationToken cancellationToken)
    {
        var responses = await inner.GetResponsesAsync(conversations, options, cancellationToken).ConfigureAwait(false);
        foreach (var response in responses)
        {
            usage.Add(response);
        }

        return responses;
    }
}
