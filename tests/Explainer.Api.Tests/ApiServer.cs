using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Explainer.Api.Tests;

/// <summary>The real app (Kestrel on a free loopback port) over a store file; an HttpClient pointed at it.</summary>
public sealed class ApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServer(WebApplication app, Uri address)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static Task<ApiServer> StartAsync(string storePath, params (string Key, string Value)[] settings) => StartAsync(storePath, null, settings);

    public static async Task<ApiServer> StartAsync(string storePath, Action<IServiceCollection>? configureServices, params (string Key, string Value)[] settings)
    {
        var app = ExplainerApi.Build(RealStoreFixture.Configuration(storePath, settings), "http://127.0.0.1:0", configureServices: configureServices);
        await app.StartAsync();
        await app.WarmUpAsync(CancellationToken.None);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Assert.StartsWith("http://127.0.0.1:", address, StringComparison.Ordinal);
        return new ApiServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
