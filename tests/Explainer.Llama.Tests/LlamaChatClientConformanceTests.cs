using Explainer.Testing;
using Microsoft.Extensions.AI;

namespace Explainer.Llama.Tests;

/// <summary>The in-process client against the shared contract (the server client runs it in Explainer.OpenAI.Tests).</summary>
public sealed class LlamaChatClientConformanceTests : ChatClientConformanceTests
{
    protected override string Prompt => "Once upon a time";

    protected override string ExpectedStart => ", there was a little girl named Lily";

    protected override IChatClient CreateClient() => TestModel.Options().CreateChatClient();
}
