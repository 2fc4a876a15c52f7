using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Owns a <c>llama_model*</c>; freed with <c>llama_model_free</c> once the last context that references it is gone.</summary>
internal sealed class SafeLlamaModelHandle : SafeHandle
{
    public SafeLlamaModelHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_model_free(handle);
        return true;
    }
}
