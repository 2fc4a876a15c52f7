using System.CommandLine;
using Explainer.Cli;
using Explainer.Cli.Commands;
using Spectre.Console.Testing;

namespace Explainer.Tests.Cli;

/// <summary>Runs the real `explainer` command tree in-process with captured output.</summary>
internal static class CliRunner
{
    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static Task<(int ExitCode, string Output)> RunAsync(params string[] args) => RunAsync(new Dictionary<string, string?>(), args);

    /// <summary>
    /// A run with <paramref name="environment"/> set as process environment variables (e.g. <c>EXPLAINER_Explain__PromptsPath</c>,
    /// which the CLI's configuration reads; a null value removes one) for this run only: they are set after the gate is
    /// taken and restored before it is released, so no other CLI run sees them. Other readers of the environment in this
    /// project must not race with them either: the services of <see cref="RealStore"/> set <c>Explain:PromptsPath</c>
    /// themselves, and a test that passes variables belongs to the pipeline collection, with the test that starts
    /// `explainer` processes (which inherit the environment), so that they never run at the same time.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        // The console override and the environment are process-wide, so CLI runs take turns.
        await Gate.WaitAsync();
        var saved = environment.Keys.ToDictionary(k => k, Environment.GetEnvironmentVariable);
        try
        {
            foreach (var (key, value) in environment)
            {
                Environment.SetEnvironmentVariable(key, value);
            }

            var console = new TestConsole().Width(200);
            var text = new StringWriter();
            CliContext.ConsoleOverride = console;
            var code = await RootCommandFactory.Create().Parse(args)
                .InvokeAsync(new InvocationConfiguration { Output = text, Error = text });
            return (code, text + console.Output);
        }
        finally
        {
            foreach (var (key, value) in saved)
            {
                Environment.SetEnvironmentVariable(key, value);
            }

            CliContext.ConsoleOverride = null;
            Gate.Release();
        }
    }
}
