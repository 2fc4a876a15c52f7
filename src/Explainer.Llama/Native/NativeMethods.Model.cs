using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Models: load, free, metadata.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial SafeLlamaModelHandle llama_model_load_from_file(string pathModel, LlamaModelParams parameters);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_model_free(IntPtr model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial IntPtr llama_model_get_vocab(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_model_n_ctx_train(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_model_n_embd(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_model_n_layer(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial ulong llama_model_n_params(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial ulong llama_model_size(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_model_desc(SafeLlamaModelHandle model, byte* buffer, nuint bufferSize);

    [LibraryImport(NativeLibraries.Llama, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int llama_model_meta_val_str(SafeLlamaModelHandle model, string key, byte* buffer, nuint bufferSize);

    /// <summary>Returns the template owned by the model (do not free), or null.</summary>
    [LibraryImport(NativeLibraries.Llama)]
    public static partial byte* llama_model_chat_template(SafeLlamaModelHandle model, byte* name);

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_encoder(SafeLlamaModelHandle model);

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_model_has_decoder(SafeLlamaModelHandle model);
}
