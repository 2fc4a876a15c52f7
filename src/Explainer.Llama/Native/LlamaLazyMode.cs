namespace Explainer.Llama.Native;

/// <summary><c>enum llama_lazy_mode</c>.</summary>
internal enum LlamaLazyMode
{
    Off = 0,
    Auto = 1,
    On = 2,
}
