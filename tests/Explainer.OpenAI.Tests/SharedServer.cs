namespace Explainer.OpenAI.Tests;

/// <summary>One llama-server (<c>-np 4</c>, one thread) for the tests that only talk to it; tests that kill a server start their own.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private LlamaServer? _server;

    public LlamaServer Server => _server ?? throw new InvalidOperationException("not started");

    public string Endpoint => Server.Endpoint.ToString();

    public async Task InitializeAsync() => _server = await LlamaServer.StartAsync(slots: 4);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    /// <summary>Options for the shared server; <paramref name="configure"/> changes them per test.</summary>
    public OpenAIEndpointOptions Options(Action<OpenAIEndpointOptions>? configure = null)
    {
        var options = new OpenAIEndpointOptions { Endpoint = Endpoint, MaxConcurrency = 4 };
        configure?.Invoke(options);
        return options;
    }
}

[CollectionDefinition(Name)]
public sealed class SharedServerCollection : ICollectionFixture<SharedServer>
{
    public const string Name = "one llama-server";
}
