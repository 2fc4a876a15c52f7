using Explainer.Llama;
using Microsoft.Extensions.AI;

namespace Explainer.Explaining.Tests;

/// <summary>The shared tiny real model.</summary>
internal static class TestModels
{
    /// <summary>stories260K on the CPU with room for the prompt (its training context is 512 tokens), on one thread: test assemblies run side by side on this 2-core machine, where llama.cpp threads spinning on a busy core stall each other (100x slower).</summary>
    public static IChatClient Stories(int parallelSequences = 1) =>
        new LlamaOptions { ModelPath = TestPaths.StoriesModel, ContextLength = 4096, ParallelSequences = parallelSequences, Backend = LlamaBackendKind.Cpu, Threads = 1 }.CreateChatClient();
}
