using Explainer.Core;
using System.CommandLine;
using Explainer.Onnx;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer models list</c>: encoder folders (with encoder.json) and *.gguf files under models/, the configured ones marked active.</summary>
public sealed class ModelsListCommand : ExplainerCommand
{
    private readonly Option<string?> _dir = new("--dir") { Description = "The models folder (default: models/ in the repository).", HelpName = "DIR" };

    public ModelsListCommand()
        : base("list", "List the sentence encoders (folders with encoder.json) and language models (*.gguf) in models/, marking the active ones (Encoder:Path, Llm:ModelPath).")
    {
        Options.Add(_dir);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var dir = parseResult.GetValue(_dir) is { Length: > 0 } d ? Path.GetFullPath(d) : RepositoryPaths.Resolve("models");
        var activeEncoder = EmbedCommand.ResolveOptions(context, null).ResolvePath();
        var llmPath = context.Configuration["Llm:ModelPath"];
        var activeLlm = string.IsNullOrWhiteSpace(llmPath) ? null : Path.GetFullPath(llmPath);

        var encoders = new List<string>();
        var llms = new List<string>();
        if (Directory.Exists(dir))
        {
            encoders.AddRange(Directory.EnumerateFiles(dir, EncoderInfo.FileName, SearchOption.AllDirectories).Select(f => Path.GetDirectoryName(f)!));
            llms.AddRange(Directory.EnumerateFiles(dir, "*.gguf", SearchOption.AllDirectories));
        }

        // The configured ones count even when they live outside models/.
        if (OnnxEncoder.IsEncoderFolder(activeEncoder) && !encoders.Contains(activeEncoder, StringComparer.Ordinal))
        {
            encoders.Add(activeEncoder);
        }

        if (activeLlm is not null && File.Exists(activeLlm) && !llms.Contains(activeLlm, StringComparer.Ordinal))
        {
            llms.Add(activeLlm);
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("Active", "Kind", "Name", "Path", "Details");
        foreach (var folder in encoders.Order(StringComparer.Ordinal))
        {
            string name, details;
            try
            {
                var info = EncoderInfo.Load(folder);
                var model = new FileInfo(Path.Combine(folder, EncoderInfo.ModelFileName));
                name = info.Name;
                details = $"{info.Dimension} dims, {info.Pooling.ToString().ToLowerInvariant()} pooling, " + (model.Exists ? $"{model.Length / 1048576.0:N1} MiB" : "model.onnx missing");
            }
            catch (EncoderException ex)
            {
                name = Path.GetFileName(folder);
                details = "[red]unusable:[/] " + ex.Message;
            }

            table.AddRow(Active(folder == activeEncoder), "encoder", Markup.Escape(name), Markup.Escape(Relative(folder)), details.StartsWith("[red]", StringComparison.Ordinal) ? "[red]unusable[/]" : Markup.Escape(details));
        }

        foreach (var file in llms.Order(StringComparer.Ordinal))
        {
            table.AddRow(Active(file == activeLlm), "llm", Markup.Escape(Path.GetFileNameWithoutExtension(file)), Markup.Escape(Relative(file)), $"GGUF, {new FileInfo(file).Length / 1048576.0:N1} MiB");
        }

        if (encoders.Count + llms.Count == 0)
        {
            context.Console.MarkupLine($"No encoders or language models in {Markup.Escape(dir)}. Run ./setup to build the default encoder (models/glove-100d).");
        }
        else
        {
            context.Console.Write(table);
        }

        if (!OnnxEncoder.IsEncoderFolder(activeEncoder))
        {
            context.Error.MarkupLine($"[yellow]warning:[/] the configured encoder (Encoder:Path) {Markup.Escape(activeEncoder)} is missing; run ./setup.");
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private static string Active(bool active) => active ? "[green]*[/]" : "";

    private static string Relative(string path) => RepositoryPaths.Root is { } root && path.StartsWith(root, StringComparison.Ordinal) ? Path.GetRelativePath(root, path) : path;
}
