using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace Explainer.Llama;

/// <summary>The public ways to get a llama.cpp <see cref="IChatClient"/>.</summary>
public static class LlamaChatClientExtensions
{
    /// <summary>A chat client over an already loaded model; disposing the client leaves the model alone.</summary>
    public static IChatClient AsChatClient(this LlamaModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new LlamaChatClient(model, ownsModel: false);
    }

    /// <summary>Loads <see cref="LlamaOptions.ModelPath"/> and returns a chat client that owns (and disposes) the model.</summary>
    public static IChatClient CreateChatClient(this LlamaOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new LlamaChatClient(LlamaModel.Load(options, loggerFactory), ownsModel: true);
    }
}
