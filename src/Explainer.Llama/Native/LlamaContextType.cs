namespace Explainer.Llama.Native;

/// <summary><c>enum llama_context_type</c>.</summary>
internal enum LlamaContextType
{
    Default = 0,
    Mtp = 1,
}
