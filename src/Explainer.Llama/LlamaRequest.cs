namespace Explainer.Llama;

/// <summary>One completion to generate: a prompt (already formatted, e.g. by <see cref="LlamaModel.FormatChat"/>) and how to continue it.</summary>
public sealed record LlamaRequest(string Prompt)
{
    public LlamaSampling Sampling { get; init; } = LlamaSampling.Greedy;

    /// <summary>Output tokens at most.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Generation stops before the first occurrence of any of these (not included in the text).</summary>
    public IReadOnlyList<string> StopSequences { get; init; } = [];

    /// <summary>Keep going past end-of-generation tokens (benchmarks that need exactly <see cref="MaxTokens"/> tokens).</summary>
    public bool IgnoreEndOfGeneration { get; init; }
}

/// <summary>Why a completion ended.</summary>
public enum LlamaFinishReason
{
    /// <summary>End-of-generation token or a stop sequence.</summary>
    Stop,

    /// <summary>MaxTokens or the context length was reached.</summary>
    Length,
}

/// <summary>The result of one <see cref="LlamaRequest"/>.</summary>
public sealed record LlamaCompletion(string Text, IReadOnlyList<int> Tokens, int PromptTokens, LlamaFinishReason FinishReason);
