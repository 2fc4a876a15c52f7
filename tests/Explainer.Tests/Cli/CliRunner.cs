using System.CommandLine;
using Explainer.Cli;
using Explainer.Cli.Commands;
using Spectre.Console.Testing;

namespace Explainer.Tests.Cli;

/// <summary>Runs the real `explainer` command tree in-process with captured output.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        // The console override is process-wide, so CLI runs take turns.
        await Gate.WaitAsync();
        try
        {
            var console = new TestConsole().Width(200);
            var text = new StringWriter();
            CliContext.ConsoleOverride = console;
            var code = await RootCommandFactory.Create().Parse(args)
                .InvokeAsync(new InvocationConfiguration { Output = text, Error = text });
            return (code, text + console.Output);
        }
        finally
        {
            CliContext.ConsoleOverride = null;
            Gate.Release();
        }
    }
}
