using System.Runtime.InteropServices;
using Explainer.Llama.Native;

namespace Explainer.Llama;

/// <summary>A llama.cpp context (KV cache for N independent sequences) with its reusable batch. Not thread-safe: one user at a time.</summary>
internal sealed unsafe class LlamaContext : IDisposable
{
    private readonly SafeLlamaContextHandle _handle;
    private readonly SafeLlamaBatchHandle _batch;
    private GCHandle _self;
    private volatile bool _abort;

    private LlamaContext(LlamaModel model, SafeLlamaContextHandle handle, SafeLlamaBatchHandle batch, int sequences)
    {
        Model = model;
        _handle = handle;
        _batch = batch;
        Sequences = sequences;
        // llama.cpp pads the context (to a multiple of 256); keep to what was asked so limits are predictable.
        ContextPerSequence = Math.Min((int)NativeMethods.llama_n_ctx_seq(handle), model.ContextLength);
        _self = GCHandle.Alloc(this, GCHandleType.Weak);
        NativeMethods.llama_set_abort_callback(handle, &ShouldAbort, GCHandle.ToIntPtr(_self));
    }

    public LlamaModel Model { get; }

    public int Sequences { get; }

    public int ContextPerSequence { get; }

    internal SafeLlamaContextHandle Handle => _handle;

    internal SafeLlamaBatchHandle Batch => _batch;

    public static LlamaContext Create(LlamaModel model, int sequences)
    {
        ArgumentNullException.ThrowIfNull(model);
        var options = model.Options;
        var perSequence = model.ContextLength;
        var batchSize = Math.Max(options.BatchSize, sequences);
        var parameters = NativeMethods.llama_context_default_params();
        parameters.NCtx = (uint)(perSequence * sequences);
        parameters.NSeqMax = (uint)sequences;
        parameters.NBatch = (uint)batchSize;
        parameters.NUbatch = (uint)batchSize;
        parameters.NThreads = model.Threads;
        parameters.NThreadsBatch = model.Threads;
        parameters.KvUnified = 0;
        parameters.NoPerf = 1;

        var max = (int)NativeMethods.llama_max_parallel_sequences();
        if (sequences < 1 || sequences > max)
        {
            throw new LlamaException($"{LlamaOptions.Section}:ParallelSequences must be between 1 and {max} (got {sequences}).");
        }

        NativeLog.ResetErrors();
        var handle = SafeLlamaContextHandle.Create(model.Handle, parameters)
            ?? throw new LlamaException(
                $"llama.cpp could not create a context of {perSequence} tokens x {sequences} sequences for '{model.Path}' "
                + $"({string.Join(" / ", NativeLog.Errors().TakeLast(2))}). Lower {LlamaOptions.Section}:ContextLength or ParallelSequences.");
        SafeLlamaBatchHandle? batch = null;
        try
        {
            batch = SafeLlamaBatchHandle.Create(batchSize);
            return new LlamaContext(model, handle, batch, sequences);
        }
        catch
        {
            batch?.Dispose();
            handle.Dispose();
            throw;
        }
    }

    public void ClearAll() => NativeMethods.llama_memory_clear(NativeMethods.llama_get_memory(_handle), true);

    public void ClearSequence(int sequence) => NativeMethods.llama_memory_seq_rm(NativeMethods.llama_get_memory(_handle), sequence, -1, -1);

    /// <summary>Decodes the batch; cancellation aborts the graph computation in flight (CPU) and throws.</summary>
    public void Decode(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        int result;
        using (cancellationToken.Register(static s => ((LlamaContext)s!)._abort = true, this))
        {
            result = NativeMethods.llama_decode(_handle, _batch.Batch);
        }

        _abort = false;
        switch (result)
        {
            case 0:
                return;
            case 2:
                cancellationToken.ThrowIfCancellationRequested();
                throw new OperationCanceledException("llama_decode was aborted.");
            case 1:
                throw new LlamaException(
                    $"The context is full ({ContextPerSequence} tokens per sequence): no room for {_batch.Count} more tokens. Raise {LlamaOptions.Section}:ContextLength.");
            default:
                throw new LlamaException($"llama_decode failed with code {result} ({string.Join(" / ", NativeLog.Errors().TakeLast(2))}).");
        }
    }

    public int Sample(SafeLlamaSamplerHandle sampler, int batchIndex) => NativeMethods.llama_sampler_sample(sampler, _handle, batchIndex);

    public void Dispose()
    {
        _batch.Dispose();
        _handle.Dispose();
        if (_self.IsAllocated)
        {
            _self.Free();
        }
    }

    [UnmanagedCallersOnly]
    private static byte ShouldAbort(IntPtr data)
    {
        var target = GCHandle.FromIntPtr(data).Target as LlamaContext;
        return target is { _abort: true } ? (byte)1 : (byte)0;
    }
}
