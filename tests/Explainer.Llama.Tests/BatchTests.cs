using Microsoft.Extensions.AI;

namespace Explainer.Llama.Tests;

public sealed class BatchTests : IDisposable
{
    private static readonly string[] Prompts =
    [
        "Once upon a time", "The little dog", "Tom and Sue went", "One day, a bird", "The sun was", "Lily had a red",
        "There was a big tree", "Ben liked to", "Mom said", "The cat sat", "A boy named Tim", "In the park",
        "The girl was sad because", "It was a cold day", "Max wanted a", "They found a box",
    ];

    private readonly LlamaModel _model = TestModel.Load(o => o.ContextLength = 256);

    [Fact]
    public async Task Sixteen_prompts_decoded_together_equal_sixteen_sequential_runs_token_for_token()
    {
        var requests = Prompts.Select(p => new LlamaRequest(p) { MaxTokens = 48 }).ToList();

        using var batch = new LlamaBatchGenerator(_model, parallelSequences: 16);
        var together = await batch.GenerateAsync(requests);

        using var single = new LlamaBatchGenerator(_model, parallelSequences: 1);
        var sequential = new List<LlamaCompletion>();
        foreach (var request in requests)
        {
            sequential.AddRange(await single.GenerateAsync([request]));
        }

        Assert.Equal(16, together.Count);
        for (var i = 0; i < 16; i++)
        {
            Assert.Equal(sequential[i].Tokens, together[i].Tokens);
            Assert.Equal(sequential[i].Text, together[i].Text);
            Assert.NotEmpty(together[i].Tokens);
        }

        Assert.True(together.Select(c => c.Text).Distinct().Count() > 8, "different prompts, different continuations");
    }

    [Fact]
    public async Task Batched_chat_responses_match_the_chat_client()
    {
        using var client = _model.AsChatClient();
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 24 };
        using var batch = new LlamaBatchGenerator(_model, parallelSequences: 4);

        // Ten conversations on four slots: continuous batching refills slots as sequences finish.
        var conversations = Prompts.Take(10).Select(p => (IEnumerable<ChatMessage>)[new ChatMessage(ChatRole.User, p)]).ToList();
        var responses = await batch.GetResponsesAsync(conversations, options);

        for (var i = 0; i < conversations.Count; i++)
        {
            var one = await client.GetResponseAsync(conversations[i], options);
            Assert.Equal(one.Text, responses[i].Text);
            Assert.Equal(one.Usage!.OutputTokenCount, responses[i].Usage!.OutputTokenCount);
        }
    }

    [Fact]
    public async Task Each_sequence_keeps_its_own_sampler_and_limits()
    {
        using var batch = new LlamaBatchGenerator(_model, parallelSequences: 3);
        var results = await batch.GenerateAsync(
        [
            new LlamaRequest("Once upon a time") { MaxTokens = 5 },
            new LlamaRequest("Once upon a time") { MaxTokens = 40, StopSequences = ["Lily"] },
            new LlamaRequest("Once upon a time") { MaxTokens = 20, Sampling = new LlamaSampling { Temperature = 1, Seed = 3 } },
        ]);

        Assert.Equal(5, results[0].Tokens.Count);
        Assert.Equal(LlamaFinishReason.Length, results[0].FinishReason);
        Assert.Equal(", there was a little girl named ", results[1].Text);
        Assert.Equal(LlamaFinishReason.Stop, results[1].FinishReason);
        Assert.Equal(20, results[2].Tokens.Count);
    }

    public void Dispose() => _model.Dispose();
}
