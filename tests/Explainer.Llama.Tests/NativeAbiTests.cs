using System.Runtime.InteropServices;
using Explainer.Llama.Native;

namespace Explainer.Llama.Tests;

/// <summary>Struct sizes and offsets against llama.h of node-llama-cpp 3.22.1 (measured with gcc offsetof on x86-64).</summary>
public sealed class NativeAbiTests
{
    [Theory]
    [InlineData(typeof(LlamaModelParams), 80)]
    [InlineData(typeof(LlamaContextParams), 160)]
    [InlineData(typeof(LlamaBatch), 56)]
    [InlineData(typeof(LlamaSamplerChainParams), 1)]
    [InlineData(typeof(LlamaChatMessage), 16)]
    [InlineData(typeof(LlamaTokenData), 12)]
    [InlineData(typeof(LlamaTokenDataArray), 32)]
    public void Struct_sizes_match_the_header(Type type, int size) => Assert.Equal(size, Marshal.SizeOf(type));

    [Theory]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.Devices), 0)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.NGpuLayers), 16)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.SplitMode), 20)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.LoadMode), 24)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.LazyMode), 28)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.MainGpu), 32)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.TensorSplit), 40)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.ProgressCallback), 48)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.KvOverrides), 64)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.VocabOnly), 72)]
    [InlineData(typeof(LlamaModelParams), nameof(LlamaModelParams.LoadMtp), 77)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NCtx), 0)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NBatch), 4)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NUbatch), 8)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NSeqMax), 12)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NThreads), 28)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NThreadsBatch), 32)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.ContextType), 36)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.FlashAttnType), 52)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.RopeFreqBase), 56)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.DefragThold), 84)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.CbEval), 88)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.TypeK), 104)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.TypeV), 108)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.AbortCallback), 112)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.AbortCallbackData), 120)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.Embeddings), 128)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.KvUnified), 133)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.Samplers), 136)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.NSamplers), 144)]
    [InlineData(typeof(LlamaContextParams), nameof(LlamaContextParams.CtxOther), 152)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.Token), 8)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.Embd), 16)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.Pos), 24)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.NSeqId), 32)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.SeqId), 40)]
    [InlineData(typeof(LlamaBatch), nameof(LlamaBatch.Logits), 48)]
    [InlineData(typeof(LlamaChatMessage), nameof(LlamaChatMessage.Content), 8)]
    [InlineData(typeof(LlamaTokenData), nameof(LlamaTokenData.P), 8)]
    [InlineData(typeof(LlamaTokenDataArray), nameof(LlamaTokenDataArray.Size), 8)]
    [InlineData(typeof(LlamaTokenDataArray), nameof(LlamaTokenDataArray.Selected), 16)]
    [InlineData(typeof(LlamaTokenDataArray), nameof(LlamaTokenDataArray.Sorted), 24)]
    public void Field_offsets_match_the_header(Type type, string field, int offset) => Assert.Equal(offset, (int)Marshal.OffsetOf(type, field));

    [Fact]
    public void The_binding_sizes_table_agrees_and_the_loaded_library_has_the_expected_defaults()
    {
        NativeAbi.VerifySizes();
        using var model = TestModel.Load();
        Assert.StartsWith(NativeAbi.ExpectedLlamaVersion, model.Runtime.Version, StringComparison.Ordinal);

        // Reading the defaults through our structs gives llama.cpp's documented values only if the layout is right.
        var m = NativeMethods.llama_model_default_params();
        var c = NativeMethods.llama_context_default_params();
        Assert.Equal(-1, m.NGpuLayers);
        Assert.Equal(1, m.UseExtraBufts);
        Assert.Equal(512u, c.NCtx);
        Assert.Equal(2048u, c.NBatch);
        Assert.Equal(-1.0f, c.DefragThold);
        Assert.Equal(1, c.OffloadKqv);
        Assert.Equal(1, c.NoPerf);
        Assert.Equal(1, c.SwaFull);
        Assert.Equal(0, c.KvUnified);
    }
}
