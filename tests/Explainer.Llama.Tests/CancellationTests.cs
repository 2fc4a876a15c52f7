using Microsoft.Extensions.AI;

namespace Explainer.Llama.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly LlamaModel _model = TestModel.Load(o => o.ContextLength = 4096);

    // How long a cancel takes to return is a benchmark figure (explainer llm bench, bench/llama/README.md), not a
    // timed test: on a shared CI machine any wall-clock bound fails for reasons that are not the code's. What is
    // tested is what makes it fast: generation stops at the token in flight.
    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task Cancelling_stops_every_sequence_at_the_token_in_flight(int sequences)
    {
        using var context = LlamaContext.Create(_model, sequences);
        using var cts = new CancellationTokenSource();
        var emitted = 0;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var requests = Enumerable.Range(0, sequences)
            .Select(i => new LlamaRequest("Once upon a time") { MaxTokens = 3000, IgnoreEndOfGeneration = true, Sampling = new LlamaSampling { Seed = (uint)i } })
            .ToList();
        var run = Task.Run(() => LlamaEngine.Run(context, requests, (_, _) =>
        {
            if (Interlocked.Increment(ref emitted) == 20 * sequences)
            {
                started.TrySetResult();
            }
        }, cts.Token));

        await started.Task;
        await cts.CancelAsync();
        var atCancel = Volatile.Read(ref emitted);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);

        // Each sequence may finish the token it was sampling when the cancel came; none starts another.
        Assert.InRange(Volatile.Read(ref emitted) - atCancel, 0, sequences);
    }

    [Fact]
    public async Task Cancelling_a_stream_ends_it_at_once_and_the_model_stays_usable()
    {
        using var client = _model.AsChatClient();
        using var cts = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync("Once upon a time", new ChatOptions { Temperature = 0.8f, Seed = 1, MaxOutputTokens = 4000 }, cts.Token))
            {
                if (++received == 20)
                {
                    await cts.CancelAsync();
                }
            }
        });

        Assert.Equal(20, received); // nothing more after the cancel, not even text already generated
        await AssertUsable(client); // the stream waited for the generation to stop: the context is free and clean
    }

    [Fact]
    public async Task Cancelling_a_response_stops_it_and_the_model_stays_usable()
    {
        using var client = _model.AsChatClient();
        using var cts = new CancellationTokenSource();

        // This seed makes a story of thousands of tokens (tens of seconds): it is still generating at the cancel.
        var task = client.GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0.8f, Seed = 1, MaxOutputTokens = 4000 }, cts.Token);
        await Task.Delay(150);
        Assert.False(task.IsCompleted, "still generating when cancelled");

        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
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
