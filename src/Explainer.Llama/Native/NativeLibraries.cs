namespace Explainer.Llama.Native;

/// <summary>The logical library names the <c>[LibraryImport]</c>s use; <see cref="NativeLibraryResolver"/> maps them to full paths.</summary>
internal static class NativeLibraries
{
    public const string Llama = "llama";
    public const string Ggml = "ggml";
    public const string GgmlBase = "ggml-base";
}
