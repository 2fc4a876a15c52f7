using System.Diagnostics;
using Microsoft.Extensions.AI;

namespace Explainer.Llama.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly LlamaModel _model = TestModel.Load(o => o.ContextLength = 4096);

    [Fact]
    public async Task Cancelling_a_stream_returns_within_100_ms_and_the_model_stays_usable()
    {
        using var client = _model.AsChatClient();
        using var cts = new CancellationTokenSource();
        var received = 0;
        var stopwatch = new Stopwatch();

        var error = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", new ChatOptions { Temperature = 0.8f, Seed = 1, MaxOutputTokens = 4000 }, cts.Token))
            {
                if (++received == 20)
                {
                    stopwatch.Start();
                    await cts.CancelAsync();
                }
            }
        });

        stopwatch.Stop();
        Assert.True(stopwatch.ElapsedMilliseconds < 100, $"returned {stopwatch.ElapsedMilliseconds} ms after cancel");
        Assert.True(received >= 20);
        await AssertUsable(client);
    }

    [Fact]
    public async Task Cancelling_a_response_returns_within_100_ms_and_the_model_stays_usable()
    {
        using var client = _model.AsChatClient();
        using var cts = new CancellationTokenSource();
        var task = client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0.8f, Seed = 1, MaxOutputTokens = 4000 }, cts.Token);
        await Task.Delay(150);
        Assert.False(task.IsCompleted, "still generating when cancelled");

        var stopwatch = Stopwatch.StartNew();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        stopwatch.Stop();

        Assert.True(stopwatch.ElapsedMilliseconds < 100, $"returned {stopwatch.ElapsedMilliseconds} ms after cancel");
        await AssertUsable(client);
    }

    [Fact]
    public async Task Cancelling_a_batch_leaves_the_generator_usable()
    {
        using var batch = new LlamaBatchGenerator(_model, parallelSequences: 4);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        var requests = Enumerable.Range(0, 8).Select(i => new LlamaRequest("Once upon a time") { MaxTokens = 3000, Sampling = new LlamaSampling { Seed = (uint)i } }).ToList();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => batch.GenerateAsync(requests, cts.Token));

        var after = await batch.GenerateAsync([new LlamaRequest("Once upon a time") { MaxTokens = 10 }]);
        Assert.StartsWith(", there was a little girl", after[0].Text, StringComparison.Ordinal);
    }

    private static async Task AssertUsable(IChatClient client)
    {
        var response = await client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 16 });
        Assert.StartsWith(", there was a little girl named Lily", response.Text, StringComparison.Ordinal);
    }

    public void Dispose() => _model.Dispose();
}
