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
            using var context = CliContext.Create(parseResult, ConfigurationOverrides(parseResult));
            try
            {
                return await ExecuteAsync(parseResult, context, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                context.Error.MarkupLine("[yellow]Cancelled.[/]");
                return ExitCodes.Cancelled;
            }
            catch (Exception ex) when (IsUserFacing(ex))
            {
                context.Error.MarkupLine($"[red]error:[/] {Markup.Escape(ex.Message)}");
                return ExitCodes.Failed;
            }
        });
    }

    /// <summary>Configuration keys set by this command's own options (e.g. <c>enrich --engine</c> sets <c>Enrich:Engine</c>).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ConfigurationOverrides(ParseResult parseResult) => [];

    protected abstract Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken);

    /// <summary>Exceptions whose message is the whole story; anything else is a bug and keeps its stack trace.</summary>
    protected virtual bool IsUserFacing(Exception ex) =>
        ex is IngestException or MalformedRowException or StoreException or Core.Recommending.RecommendationException or Onnx.EncoderException
            or Llama.LlamaException or Explaining.PromptException or Microsoft.Extensions.Options.OptionsValidationException
            or FileNotFoundException or DirectoryNotFoundException
            or UnauthorizedAccessException or IOException;
}
