using Microsoft.Extensions.AI;

namespace Explainer.Testing;

/// <summary>
/// What every <see cref="IChatClient"/> in Explainer must do, whatever the backend. Subclass it per implementation;
/// <see cref="Prompt"/> and <see cref="ExpectedStart"/> come from the subclass because the models differ.
/// </summary>
public abstract class ChatClientConformanceTests : IDisposable
{
    private readonly Lazy<IChatClient> _client;

    protected ChatClientConformanceTests() => _client = new Lazy<IChatClient>(CreateClient);

    protected IChatClient Client => _client.Value;

    protected abstract string Prompt { get; }

    /// <summary>What a greedy answer to <see cref="Prompt"/> starts with.</summary>
    protected abstract string ExpectedStart { get; }

    [Fact]
    public async Task Greedy_response_is_the_expected_text_with_usage()
    {
        var response = await Client.GetResponseAsync(Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });

        Assert.StartsWith(ExpectedStart, response.Text, StringComparison.Ordinal);
        Assert.NotNull(response.ResponseId);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.True(response.Usage?.InputTokenCount > 0, "input tokens reported");
        Assert.Equal(16, response.Usage?.OutputTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
    }

    [Fact]
    public async Task Streaming_gives_the_same_text_under_one_response_id()
    {
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 48 };
        var whole = await Client.GetResponseAsync(Prompt, options);
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in Client.GetStreamingResponseAsync(Prompt, options))
        {
            updates.Add(update);
        }

        Assert.Equal(whole.Text, string.Concat(updates.Select(u => u.Text)));
        Assert.True(updates.Count > 2, "streamed in pieces");
        Assert.Single(updates.Select(u => u.ResponseId).Distinct());
        Assert.Equal(whole.Usage?.OutputTokenCount, updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details.OutputTokenCount);
        Assert.Equal(whole.FinishReason, updates.Last().FinishReason);
    }

    [Fact]
    public async Task Stop_sequences_end_the_text_before_them()
    {
        var response = await Client.GetResponseAsync(Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 32, StopSequences = ["named"] });

        Assert.DoesNotContain("named", response.Text, StringComparison.Ordinal);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        var streamed = string.Concat(await Client.GetStreamingResponseAsync(Prompt, new ChatOptions { Temperature = 0, MaxOutputTokens = 32, StopSequences = ["named"] })
            .Select(u => u.Text).ToListAsync());
        Assert.Equal(response.Text, streamed);
    }

    [Fact]
    public void Metadata_and_services_are_exposed()
    {
        var metadata = Client.GetService<ChatClientMetadata>();
        Assert.NotNull(metadata);
        Assert.Same(metadata, Client.GetService<ChatClientMetadata>());
        Assert.False(string.IsNullOrEmpty(metadata.DefaultModelId));
        Assert.Same(Client, Client.GetService<IChatClient>());
        Assert.Null(Client.GetService<ChatClientMetadata>("some key"));
        Assert.Null(Client.GetService<string>());
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Client.GetResponseAsync(Prompt, cancellationToken: cts.Token));
    }

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    protected abstract IChatClient CreateClient();
}
