using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Chat templates (llama.cpp's built-in, non-Jinja template engine).</summary>
internal static unsafe partial class NativeMethods
{
    /// <summary>Returns the formatted length in bytes (may exceed <paramref name="length"/>: then grow and retry), or a negative value when the template is not supported.</summary>
    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_chat_apply_template(
        byte* template, LlamaChatMessage* chat, nuint messageCount, [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);
}
