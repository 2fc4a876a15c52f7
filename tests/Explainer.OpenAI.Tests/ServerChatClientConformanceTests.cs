using Explainer.Testing;
using Microsoft.Extensions.AI;

namespace Explainer.OpenAI.Tests;

/// <summary>
/// The server client against the contract the in-process client passes, with the same prompt and the same expected
/// greedy text: llama-server built from the same llama.cpp source, given the same raw prompt, writes the same story.
/// </summary>
[Collection(SharedServerCollection.Name)]
public sealed class ServerChatClientConformanceTests(SharedServer server) : ChatClientConformanceTests
{
    protected override string Prompt => "Once upon a time";

    protected override string ExpectedStart => ", there was a little girl named Lily";

    protected override IChatClient CreateClient() => OpenAIEndpoint.CreateChatClient(server.Options());
}
