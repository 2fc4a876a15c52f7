using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Explainer.OpenAI.Tests;

/// <summary>
/// A loopback HTTP server that speaks enough of the OpenAI API to list one model, then answers chat requests the way
/// misbehaving servers and proxies do (text where JSON was asked for, an HTML page, a 422, a stream that stalls).
/// llama-server cannot be made to do these, so this is the only way to see the client's answer to them.
/// </summary>
public sealed class FaultyServer : IAsyncDisposable
{
    public const string Model = "faulty-model";

    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerContext, Task> _chat;
    private readonly Task _loop;
    private readonly CancellationTokenSource _stop = new();

    private FaultyServer(int port, Func<HttpListenerContext, Task> chat)
    {
        Port = port;
        _chat = chat;
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        try
        {
            _listener.Start();
        }
        catch
        {
            _listener.Close();
            _stop.Dispose();
            throw;
        }

        _loop = Task.Run(LoopAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>Paths of the requests received, in order.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>A server whose chat completions are answered by <paramref name="chat"/>.</summary>
    public static FaultyServer Start(Func<HttpListenerContext, Task> chat)
    {
        // HttpListener cannot bind port 0, so a free port is found first; another process may take it in between.
        for (var attempt = 1; ; attempt++)
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try
            {
                return new FaultyServer(port, chat);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                // taken: try another
            }
        }
    }

    /// <summary>A complete, well-formed chat completion whose message is <paramref name="content"/>.</summary>
    public static string Completion(string content) =>
        $$$"""{"id":"c1","object":"chat.completion","created":0,"model":"{{{Model}}}","choices":[{"index":0,"message":{"role":"assistant","content":{{{System.Text.Json.JsonSerializer.Serialize(content)}}}},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":3,"total_tokens":8}}""";

    /// <summary>One server-sent event of a streamed completion carrying <paramref name="content"/>.</summary>
    public static string Chunk(string content) =>
        $$$"""data: {"id":"c1","object":"chat.completion.chunk","created":0,"model":"{{{Model}}}","choices":[{"index":0,"delta":{"role":"assistant","content":{{{System.Text.Json.JsonSerializer.Serialize(content)}}}},"finish_reason":null}]}""" + "\n\n";

    public static async Task WriteAsync(HttpListenerContext context, int status, string contentType, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Close();
        try
        {
            await _loop;
        }
        catch (ObjectDisposedException)
        {
            // closed while waiting for a request
        }

        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }

            Requests.Enqueue(context.Request.Url!.AbsolutePath);
            _ = Task.Run(async () =>
            {
                try
                {
                    if (context.Request.Url!.AbsolutePath.EndsWith("/models", StringComparison.Ordinal))
                    {
                        await WriteAsync(context, 200, "application/json", $$"""{"object":"list","data":[{"id":"{{Model}}","object":"model","created":0,"owned_by":"test"}]}""");
                    }
                    else
                    {
                        await _chat(context);
                    }
                }
                catch (HttpListenerException)
                {
                    // the client went away (a test that cancels or times out)
                }
                catch (ObjectDisposedException)
                {
                    // the server is shutting down
                }
            });
        }
    }
}
