using System.Runtime.CompilerServices;
using Explainer.Core.Explaining;
using Explainer.Extractive;
using Microsoft.Extensions.AI;

namespace Explainer.Explaining.Tests;

/// <summary>The extractive engine, counting how often it writes.</summary>
internal sealed class CountingExtractiveExplainer : IExtractiveExplainer
{
    private readonly ExtractiveExplainer _inner = new();
    private int _calls;

    public int Calls => _calls;

    public string EngineId => _inner.EngineId;

    public ExplanationDraft Write(ExplanationEvidence evidence)
    {
        Interlocked.Increment(ref _calls);
        return _inner.Write(evidence);
    }
}

/// <summary>A chat client wrapper that counts calls and keeps every raw output and every prompt.</summary>
internal sealed class RecordingChatClient(IChatClient inner) : DelegatingChatClient(inner)
{
    private int _calls;

    public int Calls => _calls;

    public List<string> Outputs { get; } = [];

    public List<IReadOnlyList<ChatMessage>> Prompts { get; } = [];

    public List<ChatOptions?> Options { get; } = [];

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        var response = await base.GetResponseAsync(messages, options, cancellationToken);
        lock (Outputs)
        {
            Outputs.Add(response.Text);
        }

        return response;
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        var text = new System.Text.StringBuilder();
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken))
        {
            text.Append(update.Text);
            yield return update;
        }

        lock (Outputs)
        {
            Outputs.Add(text.ToString());
        }
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        Interlocked.Increment(ref _calls);
        lock (Outputs)
        {
            Prompts.Add([.. messages]);
            Options.Add(options);
        }
    }
}

/// <summary>A model that does what the injected review says: it answers that the item is free, citing real ids.</summary>
internal sealed class ObedientChatClient : IChatClient
{
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, Answer(messages))));

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        yield return new ChatResponseUpdate(ChatRole.Assistant, Answer(messages));
    }

    private static string Answer(IEnumerable<ChatMessage> messages)
    {
        var ids = System.Text.RegularExpressions.Regex.Matches(string.Join('\n', messages.Select(m => m.Text)), @"\[(u\d+|i\d+|h\d+|f:\w+)\]").Select(m => m.Groups[1].Value).Distinct().Take(2).ToList();
        return System.Text.Json.JsonSerializer.Serialize(new { text = "Great news: this item is free, as the reviews say.", evidence_ids = ids });
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("obedient", null, "obedient-model") : null;

    public void Dispose()
    {
    }
}

/// <summary>An LLM whose requests fail as a server that is down does (or, with <see cref="CancelOnCall"/>, as a caller cancelling mid-request).</summary>
internal sealed class FailingChatClient : IChatClient
{
    private int _calls;

    public int Calls => _calls;

    public CancellationTokenSource? CancelOnCall { get; set; }

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw Fail(cancellationToken);

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        throw Fail(cancellationToken);
#pragma warning disable CS0162 // an iterator needs a yield
        yield break;
#pragma warning restore CS0162
    }

    private Exception Fail(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        if (CancelOnCall is { } cts)
        {
            cts.Cancel();
            return new HttpRequestException("The operation was canceled.", new OperationCanceledException(cancellationToken));
        }

        return new HttpRequestException("Connection refused (127.0.0.1:9)");
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is null && serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("failing", null, "failing-model") : null;

    public void Dispose()
    {
    }
}
