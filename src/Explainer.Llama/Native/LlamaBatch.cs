using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary><c>struct llama_batch</c>: 56 bytes on x64. The arrays are owned by <see cref="SafeLlamaBatchHandle"/>.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaBatch
{
    public int NTokens;
    public int* Token;
    public float* Embd;
    public int* Pos;
    public int* NSeqId;
    public int** SeqId;
    public sbyte* Logits;
}
