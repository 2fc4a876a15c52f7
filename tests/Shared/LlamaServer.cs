using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Explainer.Testing;

/// <summary>
/// A real llama-server (built from the llama.cpp source matching Explainer's libllama by <c>./setup --llama-server</c>)
/// serving the shared stories260K on a free loopback port. Tests start, kill and restart it; it never outlives a test class.
/// </summary>
public sealed class LlamaServer : IAsyncDisposable
{
    public const string Alias = "stories260K";

    // stories260K is a completion model without a chat template: this one joins the messages' contents with newlines,
    // exactly as the in-process client's "raw" template does, so both backends see the same prompt.
    private const string RawTemplate = "{%- for message in messages -%}{%- if not loop.first %}\n{% endif -%}{{- message['content'] -}}{%- endfor -%}";

    private readonly string[] _arguments;
    private readonly StringBuilder _log = new();
    private Process? _process;

    private LlamaServer(string[] arguments, int port)
    {
        _arguments = arguments;
        Port = port;
    }

    public int Port { get; }

    /// <summary>The OpenAI-compatible base URL, as <c>Llm:Endpoint</c> takes it.</summary>
    public Uri Endpoint => new($"http://127.0.0.1:{Port}/v1");

    /// <summary>What the server printed (for a failing test's output).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                return _log.ToString();
            }
        }
    }

    /// <summary>Starts a server with <paramref name="slots"/> parallel slots on one thread and waits until it is healthy.</summary>
    public static async Task<LlamaServer> StartAsync(int slots = 4, bool embedding = false, int contextPerSlot = 4096)
    {
        var template = Path.Combine(Path.GetTempPath(), "explainer-tests", "raw-chat-template.jinja");
        Directory.CreateDirectory(Path.GetDirectoryName(template)!);
        await File.WriteAllTextAsync(template, RawTemplate);
        var port = FreePort();
        string[] arguments =
        [
            "-m", TestPaths.StoriesModel, "--alias", Alias, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-np", slots.ToString(System.Globalization.CultureInfo.InvariantCulture), "-c", (slots * contextPerSlot).ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-t", "1", "-tb", "1", "--jinja", "--chat-template-file", template, "--no-webui",
            // An embedding input must fit one micro-batch (item texts reach a few thousand tokens, a token per character).
            .. embedding ? new[] { "--embedding", "--pooling", "mean", "-b", "2048", "-ub", "2048" } : [],
        ];
        var server = new LlamaServer(arguments, port);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the process again on the same port (after <see cref="Kill"/>).</summary>
    public async Task StartAsync()
    {
        var info = new ProcessStartInfo(Binary) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in _arguments)
        {
            info.ArgumentList.Add(argument);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {Binary}.");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"llama-server exited with {_process.ExitCode} while starting:\n{Log}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{Port}/health"));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }
            catch (TaskCanceledException)
            {
                // loading
            }

            await Task.Delay(100);
        }

        Kill();
        throw new TimeoutException($"llama-server did not become healthy on port {Port} in 60 s:\n{Log}");
    }

    /// <summary>SIGKILL, as a crashed or OOM-killed server: no goodbye to the clients.</summary>
    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
        }
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The binary: <c>EXPLAINER_LLAMA_SERVER</c>, else the one <c>./setup --llama-server</c> cached.</summary>
    public static string Binary { get; } = FindBinary();

    private static string FindBinary()
    {
        if (Environment.GetEnvironmentVariable("EXPLAINER_LLAMA_SERVER") is { Length: > 0 } configured)
        {
            return File.Exists(configured) ? configured : throw new FileNotFoundException($"EXPLAINER_LLAMA_SERVER names {configured}, which does not exist.");
        }

        var script = Path.Combine(TestPaths.RepoRoot, ".ci", "llama-server.sh");
        var info = new ProcessStartInfo("bash", [script, "--cached"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var path = process.StandardOutput.ReadToEnd().Trim();
        process.WaitForExit();
        return process.ExitCode == 0 && File.Exists(path)
            ? path
            : throw new InvalidOperationException(
                "llama-server is not built: run `./setup --llama-server` at the repository root (it builds llama.cpp's server once, " +
                "20-40 min on 2 cores, into ~/.cache/explainer), or set EXPLAINER_LLAMA_SERVER to a llama-server binary.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
