using System.CommandLine;
using System.Diagnostics;
using Explainer.Onnx;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer embed</c>: embeds texts with the sentence encoder and prints their cosine matrix; <c>--bench</c> measures throughput.</summary>
public sealed class EmbedCommand : ExplainerCommand
{
    private static readonly int[] BenchBatchSizes = [1, 32, 256];

    private readonly Argument<string[]> _texts = new("TEXT") { Description = "Texts to embed and compare (with --bench: sentences to cycle through instead of generated ones).", Arity = ArgumentArity.ZeroOrMore };
    private readonly Option<string?> _model = new("--model", "-m") { Description = "The encoder folder (model.onnx, vocab.txt, encoder.json); default: Encoder:Path, else models/glove-100d.", HelpName = "DIR" };
    private readonly Option<EncoderDevice?> _device = new("--device") { Description = "auto (CUDA when available, else CPU), cpu or cuda (default: Encoder:Device, else auto)." };
    private readonly Option<int?> _threads = new("--threads") { Description = "ONNX Runtime intra-op threads (default: Encoder:Threads, else one per core).", HelpName = "N" };
    private readonly Option<bool> _bench = new("--bench") { Description = $"Measure sentences per second at batch sizes {string.Join(", ", BenchBatchSizes)} instead of printing similarities." };
    private readonly Option<int> _benchCount = new("--bench-count") { Description = "Sentences embedded per batch size with --bench.", DefaultValueFactory = _ => 10_000, HelpName = "N" };
    private readonly Option<string?> _benchFile = new("--bench-file") { Description = "With --bench: a file with one sentence per line to cycle through.", HelpName = "FILE" };

    public EmbedCommand()
        : base("embed", "Embed texts with the sentence encoder and print the cosine similarity of every pair (or benchmark it with --bench).")
    {
        Arguments.Add(_texts);
        Options.Add(_model);
        Options.Add(_device);
        Options.Add(_threads);
        Options.Add(_bench);
        Options.Add(_benchCount);
        Options.Add(_benchFile);
    }

    /// <summary>The <c>Encoder</c> configuration section with the command line's overrides.</summary>
    public static EncoderOptions ResolveOptions(CliContext context, string? model, EncoderDevice? device = null, int? threads = null)
    {
        var options = context.Configuration.GetSection(EncoderOptions.Section).Get<EncoderOptions>() ?? new EncoderOptions();
        if (model is { Length: > 0 })
        {
            options.Path = Path.GetFullPath(model); // a --model path is relative to where the user is
        }

        if (device is { } d)
        {
            options.Device = d;
        }

        if (threads is { } t)
        {
            options.Threads = t;
        }

        return options;
    }

    protected override async Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var texts = parseResult.GetValue(_texts) ?? [];
        var options = ResolveOptions(context, parseResult.GetValue(_model), parseResult.GetValue(_device), parseResult.GetValue(_threads));
        if (parseResult.GetValue(_bench))
        {
            return await BenchAsync(parseResult, context, options, texts, cancellationToken).ConfigureAwait(false);
        }

        if (texts.Length == 0)
        {
            context.Error.MarkupLine("[red]error:[/] give at least one TEXT to embed (or --bench).");
            return ExitCodes.Usage;
        }

        using var generator = OnnxEncoder.Open(options, context.LoggerFactory);
        var embeddings = await generator.GenerateAsync(texts, cancellationToken: cancellationToken).ConfigureAwait(false);
        var info = generator.GetService<EncoderInfo>();
        context.Console.MarkupLine($"[bold]{Markup.Escape(info?.Name ?? "encoder")}[/] ({info?.Dimension} dimensions, {Markup.Escape(OnnxEncoder.ExecutionProviderOf(generator))}): cosine similarity");

        var table = new Table().Border(TableBorder.Rounded).AddColumn("#").AddColumn("Text");
        for (var j = 0; j < texts.Length; j++)
        {
            table.AddColumn(new TableColumn((j + 1).ToString()).RightAligned());
        }

        for (var i = 0; i < texts.Length; i++)
        {
            var cells = new List<string> { (i + 1).ToString(), Markup.Escape(Shorten(texts[i])) };
            var best = Enumerable.Range(0, texts.Length).Where(j => j != i)
                .OrderByDescending(j => Cosine(embeddings[i], embeddings[j])).DefaultIfEmpty(-1).First();
            for (var j = 0; j < texts.Length; j++)
            {
                var value = Cosine(embeddings[i], embeddings[j]).ToString("0.000");
                cells.Add(j == i ? $"[dim]{value}[/]" : j == best ? $"[bold green]{value}[/]" : value);
            }

            table.AddRow(cells.ToArray());
        }

        context.Console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>An empty TEXT is the encoder's <see cref="ArgumentException"/>: its message names the text.</summary>
    protected override bool IsUserFacing(Exception ex) => ex is ArgumentException || base.IsUserFacing(ex);

    /// <summary>Vectors are unit length, so the cosine is the dot product (0 for the zero vector of an all-unknown text).</summary>
    private static float Cosine(Embedding<float> a, Embedding<float> b) => System.Numerics.Tensors.TensorPrimitives.Dot(a.Vector.Span, b.Vector.Span);

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..59] + "…";

    private async Task<int> BenchAsync(ParseResult parseResult, CliContext context, EncoderOptions options, string[] texts, CancellationToken cancellationToken)
    {
        var count = Math.Max(1, parseResult.GetValue(_benchCount));
        var source = "generated sentences";
        if (parseResult.GetValue(_benchFile) is { Length: > 0 } file)
        {
            texts = File.ReadAllLines(file).Where(l => !string.IsNullOrWhiteSpace(l)).ToArray();
            source = $"lines of {Path.GetFileName(file)}";
        }
        else if (texts.Length > 0)
        {
            source = "the given texts";
        }

        var folder = options.ResolvePath();
        if (texts.Length == 0)
        {
            texts = GeneratedSentences(Path.Combine(folder, EncoderInfo.VocabFileName), 1000);
        }

        var sentences = Enumerable.Range(0, count).Select(i => texts[i % texts.Length]).ToArray();
        var rows = new List<(int BatchSize, double Seconds, double PerSecond)>();
        string? provider = null, name = null;
        foreach (var batchSize in BenchBatchSizes)
        {
            options.BatchSize = batchSize;
            using var generator = OnnxEncoder.Open(options, context.LoggerFactory);
            provider = OnnxEncoder.ExecutionProviderOf(generator);
            name = generator.GetService<EncoderInfo>()?.Name;
            await generator.GenerateAsync(sentences.Take(Math.Min(sentences.Length, batchSize * 2)), cancellationToken: cancellationToken).ConfigureAwait(false); // warm-up

            // Batch size 1 means one call per sentence, as an interactive caller would; larger ones hand the encoder everything.
            var stopwatch = Stopwatch.StartNew();
            if (batchSize == 1)
            {
                foreach (var sentence in sentences)
                {
                    await generator.GenerateAsync([sentence], cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await generator.GenerateAsync(sentences, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            var seconds = stopwatch.Elapsed.TotalSeconds;
            rows.Add((batchSize, seconds, sentences.Length / seconds));
        }

        var threads = options.Threads > 0 ? options.Threads.ToString() : $"default ({Environment.ProcessorCount} logical cores)";
        context.Console.MarkupLine($"[bold]{Markup.Escape(name ?? "encoder")}[/] on {Markup.Escape(provider ?? "?")}, threads {threads}, {sentences.Length:N0} sentences ({Markup.Escape(source)}, average {sentences.Average(s => s.Length):0} characters)");
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Batch size", "Seconds", "Sentences/s");
        foreach (var (batchSize, seconds, perSecond) in rows)
        {
            table.AddRow(batchSize.ToString(), seconds.ToString("0.000"), perSecond.ToString("N0"));
        }

        context.Console.Write(table);
        return ExitCodes.Ok;
    }

    /// <summary>Fixed pseudo-random "titles" of 4 to 15 words drawn from the 20,000 most frequent vocabulary entries.</summary>
    private static string[] GeneratedSentences(string vocabPath, int count)
    {
        if (!File.Exists(vocabPath))
        {
            throw new EncoderException($"{vocabPath} is missing; run ./setup or pass --model.");
        }

        var words = File.ReadLines(vocabPath).Where(w => !w.StartsWith('[') && !w.StartsWith("##", StringComparison.Ordinal)).Take(20_000).ToArray();
        var random = new Random(42);
        return Enumerable.Range(0, count)
            .Select(_ => string.Join(' ', Enumerable.Range(0, random.Next(4, 16)).Select(_ => words[random.Next(words.Length)])))
            .ToArray();
    }
}
