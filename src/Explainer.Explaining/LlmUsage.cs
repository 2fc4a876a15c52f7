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
        Interlocked.Increment(ref _requests);
        Interlocked.Add(ref _input, response.Usage?.InputTokenCount ?? 0);
        Interlocked.Add(ref _output, response.Usage?.OutputTokenCount ?? 0);
    }
}

/// <summary>Usage at one moment; subtract two to get a run's.</summary>
public readonly record struct LlmUsageSnapshot(long Requests, long InputTokens, long OutputTokens)
{
    public static LlmUsageSnapshot operator -(LlmUsageSnapshot a, LlmUsageSnapshot b) => new(a.Requests - b.Requests, a.InputTokens - b.InputTokens, a.OutputTokens - b.OutputTokens);

    public LlmUsageSnapshot Subtract(LlmUsageSnapshot other) => this - other;
}

/// <summary>Counts every batch's usage into <see cref="LlmUsage"/>.</summary>
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
