namespace Explainer.Llama.Tests;

/// <summary>Finds the repository and the shared test model (../shared/models/stories260K.gguf beside the repo root).</summary>
internal static class TestModel
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Path { get; } = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoRoot, "..", "shared", "models", "stories260K.gguf"));

    // Threads = 1: on a shared 2-core CI machine ggml's spin barriers with 2 threads stall whenever another thread
    // (JIT, test runner) runs, making timings erratic. The default (physical cores) is tested on its own.
    // ChatTemplate = "raw": stories260K is a completion model; the prompt is given as is.
    public static LlamaOptions Options(Action<LlamaOptions>? configure = null)
    {
        if (!File.Exists(Path))
        {
            throw new InvalidOperationException($"The test model {Path} is missing (it lives in ../shared/models beside the repository).");
        }

        var options = new LlamaOptions { ModelPath = Path, Backend = LlamaBackendKind.Cpu, ContextLength = 512, Threads = 1, ChatTemplate = "raw" };
        configure?.Invoke(options);
        return options;
    }

    /// <summary>Loads stories260K; a missing native library fails with a pointer to ./setup.</summary>
    public static LlamaModel Load(Action<LlamaOptions>? configure = null)
    {
        try
        {
            return LlamaModel.Load(Options(configure));
        }
        catch (LlamaException e) when (e.Message.Contains("./setup", StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"The llama.cpp libraries are not installed: run ./setup at the repository root first. ({e.Message})", e);
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Explainer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No Explainer.sln above {AppContext.BaseDirectory}.");
    }
}
