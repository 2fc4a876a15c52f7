using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary><c>struct llama_token_data_array</c>: 32 bytes on x64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaTokenDataArray
{
    public LlamaTokenData* Data;
    public nuint Size;
    public long Selected;
    public byte Sorted;
}
