using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Owns a <c>llama_sampler*</c> chain (and, through it, every sampler added to the chain).</summary>
internal sealed class SafeLlamaSamplerHandle : SafeHandle
{
    public SafeLlamaSamplerHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    public override bool IsInvalid => handle == IntPtr.Zero;

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_sampler_free(handle);
        return true;
    }
}
