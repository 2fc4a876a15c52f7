using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Explainer.Llama;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer llm bench</c>: generation throughput for 1, 4, 16... parallel sequences.</summary>
public sealed class LlmBenchCommand : ExplainerCommand
{
    private readonly Option<string> _prompt = new("--prompt", "-p") { Description = "The prompt of every sequence.", DefaultValueFactory = _ => "Once upon a time", HelpName = "TEXT" };
    private readonly Option<int> _tokens = new("--tokens") { Description = "Tokens generated per sequence (end-of-text is ignored so every run does the same work).", DefaultValueFactory = _ => 128, HelpName = "N" };
    private readonly Option<string> _parallel = new("--parallel") { Description = "Comma-separated numbers of parallel sequences.", DefaultValueFactory = _ => "1,4,16", HelpName = "LIST" };
    private readonly Option<int> _repeat = new("--repeat") { Description = "Runs per setting; the best is reported.", DefaultValueFactory = _ => 3, HelpName = "N" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the results as JSON." };

    public LlmBenchCommand()
        : base("bench", "Measure generation speed (greedy) with 1, 4 and 16 sequences decoded together; reports aggregate tokens/s.")
    {
        LlmCommand.AddModelOptions(this);
        Options.Add(_prompt);
        Options.Add(_tokens);
        Options.Add(_parallel);
        Options.Add(_repeat);
        Options.Add(_json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var tokens = parseResult.GetValue(_tokens);
        var repeat = Math.Max(1, parseResult.GetValue(_repeat));
        var parallels = parseResult.GetValue(_parallel)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => int.TryParse(p, out var n) && n > 0 ? n : throw new ArgumentException($"--parallel: '{p}' is not a positive number."))
            .ToList();
        var options = LlmCommand.ResolveOptions(parseResult, context);
        if (options.ContextLength == 0)
        {
            options.ContextLength = 512;
        }

        using var model = LlamaModel.Load(options, context.LoggerFactory);
        var prompt = parseResult.GetValue(_prompt)!;
        var results = new List<BenchResult>();
        foreach (var parallel in parallels)
        {
            using var generator = new LlamaBatchGenerator(model, parallel);
            var requests = Enumerable.Range(0, parallel)
                .Select(_ => new LlamaRequest(prompt) { MaxTokens = tokens, IgnoreEndOfGeneration = true })
                .ToList();
            await generator.GenerateAsync([requests[0] with { MaxTokens = 4 }], cancellationToken).ConfigureAwait(false); // warm-up

            var best = double.MaxValue;
            var generated = 0;
            for (var r = 0; r < repeat; r++)
            {
                var stopwatch = Stopwatch.StartNew();
                var completions = await generator.GenerateAsync(requests, cancellationToken).ConfigureAwait(false);
                best = Math.Min(best, stopwatch.Elapsed.TotalSeconds);
                generated = completions.Sum(c => c.Tokens.Count);
            }

            results.Add(new BenchResult(parallel, generated, best, generated / best));
        }

        var info = new { model = model.Path, backend = model.Runtime.Description, threads = model.Threads, contextLength = model.ContextLength, prompt, tokensPerSequence = tokens, results };
        if (parseResult.GetValue(_json))
        {
            context.Console.Profile.Out.Writer.WriteLine(JsonSerializer.Serialize(info, JsonOptions));
            return ExitCodes.Ok;
        }

        context.Console.MarkupLine($"[bold]{Markup.Escape(Path.GetFileName(model.Path))}[/] on {Markup.Escape(model.Runtime.Description)}, {model.Threads} threads, {tokens} tokens per sequence, best of {repeat}");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Parallel sequences", "Tokens", "Seconds", "Aggregate tokens/s");
        foreach (var r in results)
        {
            table.AddRow(r.Parallel.ToString(), r.Tokens.ToString("N0"), r.Seconds.ToString("0.000"), r.TokensPerSecond.ToString("N0"));
        }

        context.Console.Write(table);
        return ExitCodes.Ok;
    }

    protected override bool IsUserFacing(Exception ex) => ex is LlamaException || base.IsUserFacing(ex);

    private sealed record BenchResult(int Parallel, int Tokens, double Seconds, double TokensPerSecond);

    private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
