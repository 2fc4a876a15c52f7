namespace Explainer.Llama;

/// <summary>Settings of the in-process LLM, bound from the configuration section <c>Llm</c>.</summary>
public sealed class LlamaOptions
{
    public const string Section = "Llm";

    /// <summary>The GGUF file (e.g. <c>models/qwen2.5-1.5b-instruct-q4_k_m.gguf</c>). Relative paths are resolved against the current directory.</summary>
    public string? ModelPath { get; set; }

    /// <summary><c>auto</c> (CUDA when a CUDA device appears, else CPU), <c>cpu</c> or <c>cuda</c>.</summary>
    public LlamaBackendKind Backend { get; set; } = LlamaBackendKind.Auto;

    /// <summary>Layers to offload to the GPU (-1 = all). Ignored on the CPU backend.</summary>
    public int GpuLayers { get; set; } = -1;

    /// <summary>Threads for generation and prompt processing; 0 = the machine's physical cores minus one (at least 1; see LlamaRuntime.DefaultThreadCount).</summary>
    public int Threads { get; set; }

    /// <summary>Context length in tokens per sequence (prompt + output); 0 = the model's training context, capped at 4096.</summary>
    public int ContextLength { get; set; }

    /// <summary>Sequences decoded together by the batch generator.</summary>
    public int ParallelSequences { get; set; } = 4;

    /// <summary>Maximum tokens per <c>llama_decode</c> call (prompt processing chunk).</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>Folder holding libllama*.so and the ggml backends; empty = found under <c>.deps/</c> next to the app (./setup installs them there).</summary>
    public string? NativePath { get; set; }

    /// <summary>Output tokens when a request does not say (ChatOptions.MaxOutputTokens).</summary>
    public int DefaultMaxOutputTokens { get; set; } = 512;

    /// <summary>
    /// How chat messages become a prompt: <c>null</c>/empty = the model's template (ChatML when it has none);
    /// <c>raw</c> = message texts joined by newlines, for completion models; anything else is a template name or text for <c>llama_chat_apply_template</c>.
    /// </summary>
    public string? ChatTemplate { get; set; }

    public LlamaOptions Clone() => (LlamaOptions)MemberwiseClone();
}

/// <summary>Which ggml backend runs the model.</summary>
public enum LlamaBackendKind
{
    Auto = 0,
    Cpu = 1,
    Cuda = 2,
}
