using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Explainer.Llama;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer llm generate</c>: one completion from the local model, optionally streamed or constrained by a JSON schema.</summary>
public sealed class LlmGenerateCommand : ExplainerCommand
{
    private readonly Option<string> _prompt = new("--prompt", "-p") { Description = "The prompt.", Required = true, HelpName = "TEXT" };
    private readonly Option<int> _maxTokens = new("--max-tokens") { Description = "Output tokens at most.", DefaultValueFactory = _ => 256, HelpName = "N" };
    private readonly Option<float?> _temperature = new("--temperature", "-t") { Description = "Sampling temperature; 0 = greedy (default 0.8).", HelpName = "T" };
    private readonly Option<long?> _seed = new("--seed") { Description = "Random seed, for reproducible sampling.", HelpName = "S" };
    private readonly Option<FileInfo?> _jsonSchema = new("--json-schema") { Description = "A JSON Schema file: the output is JSON that follows it.", HelpName = "FILE" };
    private readonly Option<bool> _stream = new("--stream") { Description = "Print the text as it is generated." };
    private readonly Option<bool> _chat = new("--chat")
    {
        Description = "Always use the chat template (ChatML when the model has none). By default a model without a template gets the prompt as plain text.",
    };

    public LlmGenerateCommand()
        : base("generate", "Generate text from a prompt with the local model. Models with a chat template get the prompt as a user message.")
    {
        LlmCommand.AddModelOptions(this);
        Options.Add(_prompt);
        Options.Add(_maxTokens);
        Options.Add(_temperature);
        Options.Add(_seed);
        Options.Add(_jsonSchema);
        Options.Add(_stream);
        Options.Add(_chat);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var maxTokens = parseResult.GetValue(_maxTokens);
        if (maxTokens < 1)
        {
            throw new ArgumentException("--max-tokens must be at least 1.");
        }

        var options = new ChatOptions
        {
            MaxOutputTokens = maxTokens,
            Temperature = parseResult.GetValue(_temperature),
            Seed = parseResult.GetValue(_seed),
        };
        if (parseResult.GetValue(_jsonSchema) is { } schemaFile)
        {
            options.ResponseFormat = ChatResponseFormat.ForJsonSchema(ReadSchema(schemaFile), schemaFile.Name);
        }

        using var model = LlamaModel.Load(LlmCommand.ResolveOptions(parseResult, context), context.LoggerFactory);
        if (model.ChatTemplate is null && !parseResult.GetValue(_chat) && string.IsNullOrEmpty(model.Options.ChatTemplate))
        {
            (options.AdditionalProperties ??= [])[LlamaChatOptions.ChatTemplateKey] = "raw";
        }

        using var client = model.AsChatClient();
        var prompt = parseResult.GetValue(_prompt)!;
        var output = context.Console.Profile.Out.Writer;
        var stopwatch = Stopwatch.StartNew();
        UsageDetails? usage;
        if (parseResult.GetValue(_stream))
        {
            usage = null;
            await foreach (var update in client.GetStreamingResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false))
            {
                output.Write(update.Text);
                output.Flush();
                usage = update.Contents.OfType<UsageContent>().FirstOrDefault()?.Details ?? usage;
            }

            output.WriteLine();
        }
        else
        {
            var response = await client.GetResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false);
            output.WriteLine(response.Text);
            usage = response.Usage;
        }

        output.Flush();
        if (parseResult.GetValue(CommonOptions.Verbose) && usage is not null)
        {
            var seconds = stopwatch.Elapsed.TotalSeconds;
            context.Error.MarkupLine(
                $"[grey]{usage.InputTokenCount} prompt + {usage.OutputTokenCount} output tokens in {seconds:0.000} s "
                + $"({usage.OutputTokenCount / seconds:0.0} output tokens/s) on {Markup.Escape(model.Runtime.Description)}[/]");
        }

        return ExitCodes.Ok;
    }

    protected override bool IsUserFacing(Exception ex) => ex is LlamaException or JsonException || base.IsUserFacing(ex);

    private static JsonElement ReadSchema(FileInfo file)
    {
        if (!file.Exists)
        {
            throw new FileNotFoundException($"The JSON schema file '{file.FullName}' does not exist.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file.FullName));
            var schema = document.RootElement.Clone();
            _ = JsonSchemaGrammar.FromSchema(schema); // unsupported constructs fail here, with the file named
            return schema;
        }
        catch (JsonException e)
        {
            throw new JsonException($"The JSON schema file '{file.FullName}' is not valid JSON: {e.Message}", e);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"The JSON schema in '{file.FullName}' cannot be used: {e.Message}", e);
        }
    }
}
