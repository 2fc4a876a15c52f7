using System.CommandLine;
using Explainer.Core.Ingest;
using Explainer.Storage;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary>
/// Base of every command that does work: builds the <see cref="CliContext"/>, runs the command, and turns the
/// failures a user can cause (bad file, bad store, Ctrl+C) into one clear line on stderr and an exit code.
/// </summary>
public abstract class ExplainerCommand : Command
{
    protected ExplainerCommand(string name, string description)
        : base(name, description)
    {
        SetAction(async (parseResult, cancellationToken) =>
        {
            Storage.StoreLock.ProcessDescription = "explainer " + CommandPath(parseResult);
            CliContext? context = null;
            int code;
            try
            {
                context = CliContext.Create(parseResult, ConfigurationOverrides(parseResult));
                code = await ExecuteAsync(parseResult, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                Error(context).MarkupLine("[yellow]Cancelled.[/]");
                code = ExitCodes.Cancelled;
            }
            catch (Exception ex) when (IsUserFacing(ex))
            {
                Error(context).MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
                code = ExitCodes.Failed;
            }
            catch (Exception ex) when (!parseResult.GetValue(CommonOptions.Verbose))
            {
                // A bug, not the user's doing: one line, and the stack trace only when asked for.
                Error(context).MarkupLine($"[red]error:[/] {Markup.Escape(ex.GetType().Name)}: {Markup.Escape(ex.Message)} (run again with -v for the stack trace)");
                code = ExitCodes.Failed;
            }

            // Closing the store writes its log into the file: a failure there is a failure of the command.
            try
            {
                context?.Dispose();
            }
            catch (Core.Storage.StoreException ex)
            {
                Error(context).MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
                code = ExitCodes.Failed;
            }

            return code;
        });
    }

    private static IAnsiConsole Error(CliContext? context) =>
        context?.Error ?? CliContext.StandardError();

    private static string CommandPath(ParseResult parseResult)
    {
        var names = new List<string>();
        for (var r = parseResult.CommandResult; r?.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Insert(0, r.Command.Name);
        }

        return string.Join(' ', names);
    }

    /// <summary>Configuration keys set by this command's own options (e.g. <c>enrich --engine</c> sets <c>Enrich:Engine</c>).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ConfigurationOverrides(ParseResult parseResult) => [];

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken);

    /// <summary>Exceptions whose message is the whole story; anything else is a bug and keeps its stack trace.</summary>
    protected virtual bool IsUserFacing(Exception ex) =>
        ex is IngestException or MalformedRowException or Core.Storage.StoreException or Core.Recommending.RecommendationException or Core.Recommending.QueryNotUnderstoodException or Onnx.EncoderException
            or Llama.LlamaException or OpenAI.OpenAIEndpointException or Explaining.PromptException or Microsoft.Extensions.Options.OptionsValidationException
            or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or IOException
            or Microsoft.AspNetCore.Connections.AddressInUseException;
}
