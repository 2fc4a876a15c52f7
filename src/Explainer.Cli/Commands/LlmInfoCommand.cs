using System.CommandLine;
using System.Text.Json;
using Explainer.Llama;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer llm info</c>: what a GGUF model is and where it would run.</summary>
public sealed class LlmInfoCommand : ExplainerCommand
{
    private readonly Option<bool> _json = new("--json") { Description = "Print the facts as JSON." };

    public LlmInfoCommand()
        : base("info", "Load a GGUF model and show its architecture, parameters, context length, chat template and the backend that runs it.")
    {
        LlmCommand.AddModelOptions(this);
        Options.Add(_json);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        using var model = LlamaModel.Load(LlmCommand.ResolveOptions(parseResult, context), context.LoggerFactory);
        var template = model.ChatTemplate is null ? "none (ChatML used)" : FirstLine(model.ChatTemplate);
        var facts = new (string Name, string Value)[]
        {
            ("File", model.Path),
            ("Architecture", model.Architecture),
            ("Description", model.Description),
            ("Parameters", model.ParameterCount.ToString("N0")),
            ("Size", $"{model.SizeBytes / 1024.0 / 1024.0:N1} MiB"),
            ("Training context", model.TrainingContextLength.ToString("N0")),
            ("Context length", $"{model.ContextLength:N0} (Llm:ContextLength)"),
            ("Vocabulary", model.VocabularySize.ToString("N0")),
            ("Chat template", template),
            ("Backend", model.Runtime.Description),
            ("Threads", model.Threads.ToString()),
            ("Native libraries", model.Runtime.NativeDirectory),
        };

        if (parseResult.GetValue(_json))
        {
            var json = facts.ToDictionary(f => JsonNamingPolicy.CamelCase.ConvertName(string.Concat(f.Name.Split(' ').Select(w => char.ToUpperInvariant(w[0]) + w[1..]))), f => f.Value);
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(json, JsonOptions));
            return Task.FromResult(ExitCodes.Ok);
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("", "");
        table.ShowHeaders = false;
        foreach (var (name, value) in facts)
        {
            table.AddRow($"[bold]{Markup.Escape(name)}[/]", Markup.Escape(value));
        }

        context.Console.Write(table);
        return Task.FromResult(ExitCodes.Ok);
    }

    protected override bool IsUserFacing(Exception ex) => ex is LlamaException || base.IsUserFacing(ex);

    private static string FirstLine(string template)
    {
        var line = template.Split('\n', 2)[0].Trim();
        return line.Length > 80 ? line[..80] + "…" : line + (template.Contains('\n') ? " …" : string.Empty);
    }

    private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { WriteIndented = true };
}
