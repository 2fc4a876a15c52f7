using System.Runtime.CompilerServices;

namespace Explainer.Llama.Native;

/// <summary>
/// The ABI this binding was written against: struct sizes and key offsets measured with gcc (x86-64, LP64) against
/// <c>include/llama.h</c> of node-llama-cpp 3.22.1 (<c>llama/gitRelease.bundle</c>, llama.cpp 0.5.0, ggml 0.25.1).
/// Checked at start-up (sizes, and the library's default parameter values, which expose a shifted layout) and by a test.
/// </summary>
internal static class NativeAbi
{
    /// <summary>What <c>llama_version()</c> must start with.</summary>
    public const string ExpectedLlamaVersion = "0.5.0";

    public const string ExpectedPackage = "@node-llama-cpp/linux-x64@3.22.1 (llama.cpp 0.5.0, ggml 0.25.1)";

    public const int ModelParamsSize = 80;
    public const int ContextParamsSize = 160;
    public const int BatchSize = 56;
    public const int SamplerChainParamsSize = 1;
    public const int ChatMessageSize = 16;
    public const int TokenDataSize = 12;
    public const int TokenDataArraySize = 32;

    public static IReadOnlyDictionary<string, (int Actual, int Expected)> Sizes { get; } = new Dictionary<string, (int, int)>
    {
        ["llama_model_params"] = (Unsafe.SizeOf<LlamaModelParams>(), ModelParamsSize),
        ["llama_context_params"] = (Unsafe.SizeOf<LlamaContextParams>(), ContextParamsSize),
        ["llama_batch"] = (Unsafe.SizeOf<LlamaBatch>(), BatchSize),
        ["llama_sampler_chain_params"] = (Unsafe.SizeOf<LlamaSamplerChainParams>(), SamplerChainParamsSize),
        ["llama_chat_message"] = (Unsafe.SizeOf<LlamaChatMessage>(), ChatMessageSize),
        ["llama_token_data"] = (Unsafe.SizeOf<LlamaTokenData>(), TokenDataSize),
        ["llama_token_data_array"] = (Unsafe.SizeOf<LlamaTokenDataArray>(), TokenDataArraySize),
    };

    /// <summary>Throws when a managed struct does not have the size of its C counterpart.</summary>
    public static void VerifySizes()
    {
        var wrong = Sizes.Where(s => s.Value.Actual != s.Value.Expected)
            .Select(s => $"{s.Key} is {s.Value.Actual} bytes, llama.h says {s.Value.Expected}")
            .ToList();
        if (wrong.Count > 0)
        {
            throw new LlamaException($"The llama.cpp binding's structs do not match {ExpectedPackage}: {string.Join("; ", wrong)}.");
        }
    }

    /// <summary>Reads the library's default parameters and checks values whose position a layout change would move.</summary>
    public static void VerifyDefaults(string libraryPath)
    {
        var m = NativeMethods.llama_model_default_params();
        var c = NativeMethods.llama_context_default_params();
        var problems = new List<string>();
        if (m.NGpuLayers != -1 || m.SplitMode != LlamaSplitMode.Layer || m.LoadMode != LlamaLoadMode.Auto || m.UseExtraBufts != 1 || m.VocabOnly != 0)
        {
            problems.Add($"llama_model_default_params() gave n_gpu_layers={m.NGpuLayers}, split_mode={m.SplitMode}, load_mode={m.LoadMode}, use_extra_bufts={m.UseExtraBufts}");
        }

        if (c.NCtx != 512 || c.NBatch != 2048 || c.NUbatch != 512 || c.NSeqMax != 1 || c.FlashAttnType != LlamaFlashAttnType.Auto
            || c.DefragThold != -1.0f || c.OffloadKqv != 1 || c.KvUnified != 0 || c.Samplers != IntPtr.Zero || c.CtxOther != IntPtr.Zero)
        {
            problems.Add($"llama_context_default_params() gave n_ctx={c.NCtx}, n_batch={c.NBatch}, n_ubatch={c.NUbatch}, n_seq_max={c.NSeqMax}, offload_kqv={c.OffloadKqv}");
        }

        if (problems.Count > 0)
        {
            throw new LlamaException(
                $"The llama.cpp library at '{libraryPath}' does not have the struct layout this binding expects ({ExpectedPackage}): "
                + string.Join("; ", problems) + ". Run ./setup to install the matching version.");
        }
    }
}
