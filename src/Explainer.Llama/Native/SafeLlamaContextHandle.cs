using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>
/// Owns a <c>llama_context*</c>. It holds a reference on its model's handle (DangerousAddRef), so the model is
/// only freed after every context on it: disposal order never matters.
/// </summary>
internal sealed class SafeLlamaContextHandle : SafeHandle
{
    private SafeLlamaModelHandle? _model;

    public SafeLlamaContextHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Creates a context on <paramref name="model"/>; null when llama.cpp refuses (e.g. out of memory).</summary>
    public static SafeLlamaContextHandle? Create(SafeLlamaModelHandle model, LlamaContextParams parameters)
    {
        var added = false;
        try
        {
            model.DangerousAddRef(ref added);
            var ptr = NativeMethods.llama_init_from_model(model.DangerousGetHandle(), parameters);
            if (ptr == IntPtr.Zero)
            {
                return null;
            }

            var context = new SafeLlamaContextHandle { _model = model };
            context.SetHandle(ptr);
            added = false; // the context now owns the reference
            return context;
        }
        finally
        {
            if (added)
            {
                model.DangerousRelease();
            }
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_free(handle);
        _model?.DangerousRelease();
        _model = null;
        return true;
    }
}
