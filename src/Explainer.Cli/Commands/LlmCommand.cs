using System.CommandLine;
using Explainer.Llama;
using Microsoft.Extensions.Configuration;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer llm</c>: the in-process llama.cpp model (info, generate, bench).</summary>
public sealed class LlmCommand : Command
{
    public LlmCommand()
        : base("llm", "The local GGUF language model run in-process by llama.cpp: inspect it, generate text, benchmark it.")
    {
        Subcommands.Add(new LlmInfoCommand());
        Subcommands.Add(new LlmGenerateCommand());
        Subcommands.Add(new LlmBenchCommand());
    }

    public static readonly Option<string?> Model = new("--model", "-m")
    {
        Description = "The GGUF model file (default: Llm:ModelPath in appsettings.json or EXPLAINER_Llm__ModelPath).",
        HelpName = "FILE",
    };

    public static readonly Option<LlamaBackendKind?> Backend = new("--backend")
    {
        Description = "auto (CUDA when a GPU appears), cpu or cuda (default: Llm:Backend, else auto).",
    };

    public static readonly Option<int?> Threads = new("--threads")
    {
        Description = "CPU threads (default: Llm:Threads, else the physical cores minus one, at least 1).",
        HelpName = "N",
    };

    public static readonly Option<int?> ContextLength = new("--context-length")
    {
        Description = "Context length in tokens, prompt and output together (default: Llm:ContextLength, else the model's, at most 4096).",
        HelpName = "N",
    };

    /// <summary>Adds the model-selection options to a subcommand.</summary>
    public static void AddModelOptions(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Backend);
        command.Options.Add(Threads);
        command.Options.Add(ContextLength);
    }

    /// <summary>The <c>Llm</c> configuration section with the command line's overrides.</summary>
    public static LlamaOptions ResolveOptions(ParseResult parseResult, CliContext context)
    {
        var options = context.Configuration.GetSection(LlamaOptions.Section).Get<LlamaOptions>() ?? new LlamaOptions();
        if (parseResult.GetValue(Model) is { Length: > 0 } model)
        {
            options.ModelPath = model;
        }

        if (parseResult.GetValue(Backend) is { } backend)
        {
            options.Backend = backend;
        }

        if (parseResult.GetValue(Threads) is { } threads)
        {
            options.Threads = threads;
        }

        if (parseResult.GetValue(ContextLength) is { } length)
        {
            options.ContextLength = length;
        }

        return options;
    }
}
