using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Explainer.Api.Tests;

/// <summary>The `explainer` CLI run as a separate process, as a user runs it, and readers of its plain-text chat output.</summary>
internal static partial class CliProcess
{
    public sealed record ShownItem(int Rank, string Title, decimal? Price, string Category, string Id);

    public static List<ShownItem> Items(string turn) =>
        [.. ItemLine().Matches(turn).Select(m => new ShownItem(
            int.Parse(m.Groups["rank"].Value, CultureInfo.InvariantCulture),
            m.Groups["title"].Value,
            m.Groups["price"].Success ? decimal.Parse(m.Groups["price"].Value, CultureInfo.InvariantCulture) : null,
            m.Groups["cat"].Value,
            m.Groups["id"].Value))];

    /// <summary>The output split at each echoed input line ("> ...").</summary>
    public static List<string> Turns(string output)
    {
        var turns = new List<string>();
        foreach (var line in output.Split('\n'))
        {
            if (line.StartsWith("> ", StringComparison.Ordinal))
            {
                turns.Add("");
            }
            else if (turns.Count > 0)
            {
                turns[^1] += line.TrimEnd('\r') + "\n";
            }
        }

        return turns;
    }

    /// <summary>The CLI as a process; <paramref name="environment"/> adds variables (e.g. EXPLAINER_Llm__ModelPath), a null value removes one.</summary>
    public static ProcessStartInfo Start(string[] args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        // Through env --default-signal=INT: a test run started in the background of a non-interactive shell inherits
        // SIGINT as ignored, which exec keeps, and the Ctrl+C tests would then wait for a signal the CLI never sees.
        var start = new ProcessStartInfo("env", ["--default-signal=INT", "dotnet"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepoRoot,
        };
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[key] = value;
        }

        start.ArgumentList.Add(CliPath);
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        return start;
    }

    public static async Task<(int Code, string Output, string Errors)> RunAsync(string[] args, string[] input, IReadOnlyDictionary<string, string?>? environment = null)
    {
        using var process = Process.Start(Start(args, environment))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        foreach (var line in input)
        {
            await process.StandardInput.WriteLineAsync(line);
        }

        process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"explainer {args[0]} did not exit:\n{await stdout}\n{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The CLI built beside this test (same configuration).</summary>
    public static string CliPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name; // bin/<Configuration>/net10.0/
            var path = Path.Combine(TestPaths.RepoRoot, "src", "Explainer.Cli", "bin", configuration, "net10.0", "explainer.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"The CLI is not built at {path}.");
        }
    }

    [GeneratedRegex(@"^\s*(?<rank>\d+)\. (?<title>.*) \((?:\$(?<price>[\d.]+)|no price), (?<cat>.*)\) \[(?<id>[^\]]+)\]$", RegexOptions.Multiline)]
    public static partial Regex ItemLine();
}
