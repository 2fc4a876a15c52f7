using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary><c>struct llama_model_params</c> (llama.h of node-llama-cpp 3.22.1, llama.cpp 0.5.0): 80 bytes on x64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaModelParams
{
    public IntPtr Devices;
    public IntPtr TensorBuftOverrides;
    public int NGpuLayers;
    public LlamaSplitMode SplitMode;
    public LlamaLoadMode LoadMode;
    public LlamaLazyMode LazyMode;
    public int MainGpu;
    public IntPtr TensorSplit;
    public IntPtr ProgressCallback;
    public IntPtr ProgressCallbackUserData;
    public IntPtr KvOverrides;

    // C bools are one byte each; kept as bytes so the struct stays blittable.
    public byte VocabOnly;
    public byte CheckTensors;
    public byte UseExtraBufts;
    public byte NoHost;
    public byte NoAlloc;
    public byte LoadMtp;
}
