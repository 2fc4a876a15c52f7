using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Explainer.Core.Storage;
using Explainer.Storage;

namespace Explainer.Api.Tests;

/// <summary>`explainer serve` as a real process on a free loopback port, stopped with SIGINT as a user stops it.</summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    private ServeProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri Address { get; }

    public HttpClient Client { get; }

    public int Pid => _process.Id;

    public string Errors
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static async Task<ServeProcess> StartAsync(string db, IReadOnlyDictionary<string, string?>? environment = null, string urls = "http://127.0.0.1:0")
    {
        var process = Process.Start(CliProcess.Start(["serve", "--db", db, "--urls", urls], environment))!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                listening.TrySetException(new InvalidOperationException($"serve exited before listening:\n{stderr}"));
                return;
            }

            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } m)
            {
                listening.TrySetResult(new Uri(m.Groups[1].Value));
            }
        };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var serve = new ServeProcess(process, address);
            serve.Adopt(stderr);
            await serve.WaitReadyAsync();
            return serve;
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    private void Adopt(StringBuilder stderr)
    {
        lock (stderr)
        {
            _stderr.Append(stderr);
        }

        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
    }

    /// <summary>Listening is printed after the warm-up; /health answering proves requests are served.</summary>
    private async Task WaitReadyAsync()
    {
        using var response = await Client.GetAsync("/health");
        response.EnsureSuccessStatusCode();
    }

    /// <summary>SIGINT (Ctrl+C), then waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                throw new TimeoutException($"serve did not stop on SIGINT within 60 s:\n{Errors}");
            }
        }

        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Listening on (http://\S+?)\s")]
    private static partial Regex Listening();
}

/// <summary>The content of a store file, per collection, as <see cref="StoreChecksum"/> computes it (the store is opened, so no other process may hold it).</summary>
internal static class StoreContent
{
    public static string Of(string path)
    {
        using var store = ExplainerStore.Open(path, create: false);
        return string.Join("\n", StoreChecksum.Compute(store).Select(c => $"{c.Name} {c.Count} {c.Sha256}"));
    }

    public static string FileHash(string path) => Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
}
