using Explainer.Cli;
using Explainer.Cli.Commands;

// Everything lives in the commands; Program stays short so tests can run the same parser.
return await CliEntry.RunAsync(args).ConfigureAwait(false);
