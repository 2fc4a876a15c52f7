using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Sampler chains. Samplers added to a chain are owned (and freed) by the chain.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraries.Llama)]
    public static partial SafeLlamaSamplerHandle llama_sampler_chain_init(LlamaSamplerChainParams parameters);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_sampler_chain_add(SafeLlamaSamplerHandle chain, IntPtr sampler);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_sampler_free(IntPtr sampler);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_sampler_sample(SafeLlamaSamplerHandle sampler, SafeLlamaContextHandle context, int index);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_sampler_reset(SafeLlamaSamplerHandle sampler);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_greedy();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_dist(uint seed);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_top_k(int k);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_top_p(float p, nuint minKeep);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_min_p(float p, nuint minKeep);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_temp(float t);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_sampler_init_penalties(int nVocab, int penaltyLastN, float penaltyRepeat, float penaltyFreq, float penaltyPresent);

    /// <summary>Returns null when the grammar does not parse.</summary>
    [LibraryImport(NativeLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr llama_sampler_init_grammar(IntPtr vocab, string grammar, string root);
}
