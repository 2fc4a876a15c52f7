using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>Vocabulary and tokenization. The vocab pointer belongs to the model and lives as long as it.</summary>
internal static unsafe partial class NativeMethods
{
    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_vocab_n_tokens(IntPtr vocab);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_vocab_type(IntPtr vocab);

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_is_eog(IntPtr vocab, int token);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_vocab_bos(IntPtr vocab);

    /// <summary>The token's text as stored in the vocabulary (owned by the model).</summary>
    [LibraryImport(NativeLibraries.Llama)]
    public static partial byte* llama_vocab_get_text(IntPtr vocab, int token);

    /// <summary>A bit set of <c>enum llama_token_attr</c> (CONTROL = 1 &lt;&lt; 3, USER_DEFINED = 1 &lt;&lt; 4).</summary>
    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_vocab_get_attr(IntPtr vocab, int token);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_vocab_eos(IntPtr vocab);

    [LibraryImport(NativeLibraries.Llama)]
    [return: MarshalAs(UnmanagedType.U1)]
    public static partial bool llama_vocab_get_add_bos(IntPtr vocab);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_tokenize(
        IntPtr vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);

    [LibraryImport(NativeLibraries.Llama)]
    public static partial int llama_token_to_piece(IntPtr vocab, int token, byte* buffer, int length, int lstrip, [MarshalAs(UnmanagedType.U1)] bool special);
}
