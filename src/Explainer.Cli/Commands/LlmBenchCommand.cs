using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using Explainer.Llama;
using Microsoft.Extensions.AI;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer llm bench</c>: generation throughput for 1, 4, 16... parallel sequences.</summary>
public sealed class LlmBenchCommand : ExplainerCommand
{
    private readonly Option<string> _prompt = new("--prompt", "-p") { Description = "The prompt of every sequence.", DefaultValueFactory = _ => "Once upon a time", HelpName = "TEXT" };
    private readonly Option<int> _tokens = new("--tokens") { Description = "Tokens generated per sequence (end-of-text is ignored so every run does the same work).", DefaultValueFactory = _ => 128, HelpName = "N" };
    private readonly Option<string> _parallel = new("--parallel") { Description = "Comma-separated numbers of parallel sequences.", DefaultValueFactory = _ => "1,4,16", HelpName = "LIST" };
    private readonly Option<int> _repeat = new("--repeat") { Description = "Runs per setting; the best is reported.", DefaultValueFactory = _ => 3, HelpName = "N" };
    private readonly Option<int> _cancellations = new("--cancellations") { Description = "Streamed generations cancelled mid-way to measure how long a cancel takes to return (0 = skip).", DefaultValueFactory = _ => 20, HelpName = "N" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the results as JSON." };

    public LlmBenchCommand()
        : base("bench", "Measure generation speed (greedy) with 1, 4 and 16 sequences decoded together (aggregate tokens/s) and how long cancelling a streamed generation takes.")
    {
        LlmCommand.AddModelOptions(this);
        Options.Add(_prompt);
        Options.Add(_tokens);
        Options.Add(_parallel);
        Options.Add(_repeat);
        Options.Add(_cancellations);
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

        var cancel = await MeasureCancellationAsync(model, prompt, parseResult.GetValue(_cancellations), cancellationToken).ConfigureAwait(false);
        var info = new { model = model.Path, backend = model.Runtime.Description, threads = model.Threads, contextLength = model.ContextLength, prompt, tokensPerSequence = tokens, results, cancel };
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
        if (cancel is not null)
        {
            context.Console.MarkupLine(
                $"Cancel to return (streamed, {cancel.Count} runs): p50 {cancel.P50Ms:0.0} ms, p99 {cancel.P99Ms:0.0} ms, max {cancel.MaxMs:0.0} ms");
        }

        return ExitCodes.Ok;
    }

    /// <summary>
    /// Streams a long generation, cancels it after a varying number of tokens and times CancelAsync to the stream
    /// throwing (by then the generation has stopped and the context is free: the client waits for it).
    /// </summary>
    private static async Task<CancelResult?> MeasureCancellationAsync(LlamaModel model, string prompt, int runs, CancellationToken cancellationToken)
    {
        if (runs <= 0)
        {
            return null;
        }

        using var client = model.AsChatClient();
        var options = new ChatOptions { Temperature = 0.8f, MaxOutputTokens = model.ContextLength / 2 };
        var random = new Random(1);
        var times = new List<double>(runs);
        for (var run = 0; run < runs; run++)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var cancelAfter = random.Next(5, 40);
            var received = 0;
            var clock = new Stopwatch();
            try
            {
                options.Seed = run;
                await foreach (var _ in client.GetStreamingResponseAsync(prompt, options, cts.Token).ConfigureAwait(false))
                {
                    if (++received == cancelAfter)
                    {
                        clock.Start();
                        await cts.CancelAsync().ConfigureAwait(false);
                    }
                }

                continue; // ended by itself before the cancel point: not a measurement
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        if (times.Count == 0)
        {
            return null;
        }

        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
        return new CancelResult(times.Count, At(0.5), At(0.99), times[^1]);
    }

    protected override bool IsUserFacing(Exception ex) => ex is LlamaException || base.IsUserFacing(ex);

    private sealed record CancelResult(int Count, double P50Ms, double P99Ms, double MaxMs);

    private sealed record BenchResult(int Parallel, int Tokens, double Seconds, double TokensPerSecond);

    private static readonly JsonSerializerOptions JsonOptions = new JsonSerializerOptions { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
}
