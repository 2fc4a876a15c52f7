using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Contexts: create, decode, memory (KV cache), logits, threads, abort.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_init_from_model(IntPtr model, LlamaContextParams parameters);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_free(IntPtr context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial uint llama_n_ctx(SafeLlamaContextHandle context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial uint llama_n_ctx_seq(SafeLlamaContextHandle context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial uint llama_n_batch(SafeLlamaContextHandle context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial uint llama_n_seq_max(SafeLlamaContextHandle context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_decode(SafeLlamaContextHandle context, LlamaBatch batch);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_set_n_threads(SafeLlamaContextHandle context, int nThreads, int nThreadsBatch);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_set_abort_callback(SafeLlamaContextHandle context, delegate* unmanaged<IntPtr, byte> callback, IntPtr data);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_get_memory(SafeLlamaContextHandle context);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_memory_clear(IntPtr memory, [MarshalAs(UnmanagedType.U1)] bool data);

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_memory_seq_rm(IntPtr memory, int seqId, int p0, int p1);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_memory_seq_pos_max(IntPtr memory, int seqId);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial float* llama_get_logits_ith(SafeLlamaContextHandle context, int i);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial LlamaBatch llama_batch_init(int nTokens, int embd, int nSeqMax);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_batch_free(LlamaBatch batch);
}
