using Explainer.Llama;
using Microsoft.Extensions.AI;

namespace Explainer.Explaining.Tests;

/// <summary>The shared tiny real model and prompt copies whose outputs are capped so it finishes fast.</summary>
internal static class TestModels
{
    /// <summary>stories260K on the CPU with room for the prompt (its training context is 512 tokens), on one thread: test assemblies run side by side on this 2-core machine, where llama.cpp threads spinning on a busy core stall each other (100x slower).</summary>
    public static IChatClient Stories(int parallelSequences = 1) =>
        new LlamaOptions { ModelPath = TestPaths.StoriesModel, ContextLength = 4096, ParallelSequences = parallelSequences, Backend = LlamaBackendKind.Cpu, Threads = 1 }.CreateChatClient();

    /// <summary>
    /// A copy of prompts/ in <paramref name="dir"/> with each edit applied to a prompt's config.json (a replacement that
    /// must match: a test whose edit no longer applies fails instead of silently running the full-length prompt).
    /// </summary>
    public static string Prompts(TempDir dir, params (string Prompt, string From, string To)[] edits)
    {
        var root = Path.Combine(dir.Path, "prompts");
        foreach (var file in Directory.EnumerateFiles(TestPaths.Prompts, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(TestPaths.Prompts, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var (prompt, from, to) in edits)
        {
            var config = Path.Combine(root, prompt, "config.json");
            var text = File.ReadAllText(config);
            Assert.Contains(from, text, StringComparison.Ordinal);
            File.WriteAllText(config, text.Replace(from, to, StringComparison.Ordinal));
        }

        return root;
    }
}
