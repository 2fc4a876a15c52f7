namespace Explainer.Llama.Native;

/// <summary><c>enum llama_split_mode</c>.</summary>
internal enum LlamaSplitMode
{
    None = 0,
    Layer = 1,
    Row = 2,
    Tensor = 3,
}
