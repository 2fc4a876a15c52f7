using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary><c>struct llama_context_params</c> (llama.h of node-llama-cpp 3.22.1, llama.cpp 0.5.0): 160 bytes on x64.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct LlamaContextParams
{
    public uint NCtx;
    public uint NBatch;
    public uint NUbatch;
    public uint NSeqMax;
    public uint NRsSeq;
    public uint NOutputsMax;
    public uint NOutputsMaxPerSeq;
    public int NThreads;
    public int NThreadsBatch;

    public LlamaContextType ContextType;
    public int RopeScalingType;
    public int PoolingType;
    public int AttentionType;
    public LlamaFlashAttnType FlashAttnType;

    public float RopeFreqBase;
    public float RopeFreqScale;
    public float YarnExtFactor;
    public float YarnAttnFactor;
    public float YarnBetaFast;
    public float YarnBetaSlow;
    public uint YarnOrigCtx;
    public float DefragThold;

    public IntPtr CbEval;
    public IntPtr CbEvalUserData;

    public int TypeK;
    public int TypeV;

    public IntPtr AbortCallback;
    public IntPtr AbortCallbackData;

    public byte Embeddings;
    public byte OffloadKqv;
    public byte NoPerf;
    public byte OpOffload;
    public byte SwaFull;
    public byte KvUnified;

    public IntPtr Samplers;
    public nuint NSamplers;
    public IntPtr CtxOther;
}
