using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Owns the arrays of a <c>llama_batch</c> made by <c>llama_batch_init</c> (token ids, one sequence id per token).</summary>
internal sealed unsafe class SafeLlamaBatchHandle : SafeHandle
{
    private LlamaBatch _batch;

    private SafeLlamaBatchHandle(LlamaBatch batch, int capacity)
        : base(IntPtr.Zero, ownsHandle: true)
    {
        _batch = batch;
        Capacity = capacity;
        SetHandle((IntPtr)batch.Token);
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    public int Capacity { get; }

    public int Count => _batch.NTokens;

    /// <summary>The struct to pass to <c>llama_decode</c> (by value; the arrays stay owned here).</summary>
    public LlamaBatch Batch => _batch;

    public static SafeLlamaBatchHandle Create(int capacity)
    {
        var batch = NativeMethods.llama_batch_init(capacity, 0, 1);
        if (batch.Token == null)
        {
            throw new LlamaException($"llama_batch_init({capacity}) failed.");
        }

        return new SafeLlamaBatchHandle(batch, capacity);
    }

    public void Clear() => _batch.NTokens = 0;

    /// <summary>Appends one token of one sequence; <paramref name="wantLogits"/> marks an output row.</summary>
    public void Add(int token, int position, int sequence, bool wantLogits)
    {
        ObjectDisposedException.ThrowIf(IsClosed, this);
        var i = _batch.NTokens;
        if (i >= Capacity)
        {
            throw new InvalidOperationException($"The batch is full ({Capacity} tokens).");
        }

        _batch.Token[i] = token;
        _batch.Pos[i] = position;
        _batch.NSeqId[i] = 1;
        _batch.SeqId[i][0] = sequence;
        _batch.Logits[i] = wantLogits ? (sbyte)1 : (sbyte)0;
        _batch.NTokens = i + 1;
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_batch_free(_batch);
        _batch = default;
        return true;
    }
}
