// LLamaSharp 0.30.0 (its own bundled llama.cpp CPU build) on the settings `explainer llm bench` uses: greedy decoding,
// end-of-text ignored so every sequence makes exactly TOKENS tokens, prompt included in the time, best of REPEAT,
// 1/4/16 sequences decoded together through BatchedExecutor. Prints one JSON line per setting and the greedy text.
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using LLama;
using LLama.Batched;
using LLama.Common;
using LLama.Native;
using LLama.Sampling;

var modelPath = args.ElementAtOrDefault(0) ?? "../shared/models/stories260K.gguf";
var threads = int.Parse(args.ElementAtOrDefault(1) ?? "1");
var tokens = int.Parse(args.ElementAtOrDefault(2) ?? "128");
var repeat = int.Parse(args.ElementAtOrDefault(3) ?? "5");
int[] parallels = [.. (args.ElementAtOrDefault(4) ?? "1,4,16").Split(',').Select(int.Parse)];
const string Prompt = "Once upon a time";

NativeLibraryConfig.All.WithLogCallback((_, _) => { }); // llama.cpp's load chatter off, as Explainer does
var parameters = new ModelParams(modelPath) { ContextSize = 512u * (uint)parallels.Max(), BatchSize = 512, SeqMax = (uint)parallels.Max(), Threads = threads, BatchThreads = threads, GpuLayerCount = 0 };
using var weights = LLamaWeights.LoadFromFile(parameters);

foreach (var parallel in parallels)
{
    await RunAsync(1, 4); // warm-up
    var best = double.MaxValue;
    string text = "";
    for (var r = 0; r < repeat; r++)
    {
        var (seconds, first) = await RunAsync(parallel, tokens);
        best = Math.Min(best, seconds);
        text = first;
    }

    Console.WriteLine(JsonSerializer.Serialize(new { engine = "LLamaSharp 0.30.0", parallel, tokens = parallel * tokens, seconds = best, tokensPerSecond = parallel * tokens / best, threads }));
    if (parallel == 1)
    {
        Console.WriteLine(JsonSerializer.Serialize(new { greedyText = text }));
    }
}

// Decodes `count` sequences of `length` greedy tokens together in a new executor (a reused one refused its next batch
// as InvalidInputBatch); returns the time from tokenizing the prompt to the last token, and the first sequence's text.
async Task<(double Seconds, string Text)> RunAsync(int count, int length)
{
    using var executor = new BatchedExecutor(weights, parameters);
    var clock = Stopwatch.StartNew();
    var prompt = executor.Context.Tokenize(Prompt, addBos: true, special: false);
    var conversations = Enumerable.Range(0, count).Select(_ => executor.Create()).ToList();
    var samplers = conversations.Select(_ => new GreedySamplingPipeline()).ToList();
    foreach (var c in conversations)
    {
        c.Prompt(prompt);
    }

    var decoder = new StreamingTokenDecoder(Encoding.UTF8, weights);
    for (var t = 0; t < length; t++)
    {
        var result = await executor.Infer();
        if (result != DecodeResult.Ok)
        {
            throw new InvalidOperationException($"llama_decode: {result}");
        }

        for (var i = 0; i < conversations.Count; i++)
        {
            var token = conversations[i].Sample(samplers[i]);
            if (i == 0)
            {
                decoder.Add(token);
            }

            conversations[i].Prompt(token);
        }
    }

    var seconds = clock.Elapsed.TotalSeconds;
    foreach (var c in conversations)
    {
        c.Dispose();
    }

    foreach (var s in samplers)
    {
        s.Dispose();
    }

    return (seconds, decoder.Read());
}
