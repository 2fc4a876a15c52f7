namespace Explainer.Llama;

/// <summary>Keys of <c>ChatOptions.AdditionalProperties</c> the llama.cpp client understands.</summary>
public static class LlamaChatOptions
{
    /// <summary>Overrides <see cref="LlamaOptions.ChatTemplate"/> for one request (a string: "raw", a template name, or template text).</summary>
    public const string ChatTemplateKey = "llama.chat_template";
}
