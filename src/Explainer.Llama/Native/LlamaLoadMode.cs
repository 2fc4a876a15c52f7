namespace Explainer.Llama.Native;

/// <summary><c>enum llama_load_mode</c>.</summary>
internal enum LlamaLoadMode
{
    Auto = -1,
    None = 0,
    Mmap = 1,
    Mlock = 2,
    MmapMlock = 3,
    DirectIo = 4,
}
