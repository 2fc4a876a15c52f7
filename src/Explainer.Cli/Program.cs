using Explainer.Cli.Commands;

// Everything lives in the commands; Program stays a one-liner so tests can run the same parser.
return await RootCommandFactory.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
