using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Process-wide set-up: backends, devices, logging, version.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraries.Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial void ggml_backend_load_all_from_path(string dirPath);

    /// <summary>Loads one backend library (e.g. a CUDA 12 libggml-cuda.so); null when it cannot be loaded here.</summary>
    [LibraryImport(NativeLibraries.Ggml, StringMarshalling = StringMarshalling.Utf8)]
    public static partial IntPtr ggml_backend_load(string path);

    [LibraryImport(NativeLibraries.Ggml)]
    public static partial nuint ggml_backend_dev_count();

    [LibraryImport(NativeLibraries.Ggml)]
    public static partial IntPtr ggml_backend_dev_get(nuint index);

    [LibraryImport(NativeLibraries.GgmlBase)]
    public static partial byte* ggml_backend_dev_name(IntPtr device);

    [LibraryImport(NativeLibraries.GgmlBase)]
    public static partial byte* ggml_backend_dev_description(IntPtr device);

    [LibraryImport(NativeLibraries.GgmlBase)]
    public static partial GgmlBackendDeviceType ggml_backend_dev_type(IntPtr device);

    [LibraryImport(NativeLibraries.GgmlBase)]
    public static partial void ggml_backend_dev_memory(IntPtr device, out nuint free, out nuint total);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_backend_init();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial byte* llama_version();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial byte* llama_print_system_info();

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_supports_gpu_offload();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial nuint llama_max_parallel_sequences();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial void llama_log_set(delegate* unmanaged<GgmlLogLevel, byte*, IntPtr, void> callback, IntPtr userData);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial LlamaModelParams llama_model_default_params();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial LlamaContextParams llama_context_default_params();

    [LibraryImport(NativeLibraries.Llama)]
    public static partial LlamaSamplerChainParams llama_sampler_chain_default_params();
}
