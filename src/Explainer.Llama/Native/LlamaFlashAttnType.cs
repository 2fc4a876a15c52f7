namespace Explainer.Llama.Native;

/// <summary><c>enum llama_flash_attn_type</c>.</summary>
internal enum LlamaFlashAttnType
{
    Auto = -1,
    Disabled = 0,
    Enabled = 1,
}
