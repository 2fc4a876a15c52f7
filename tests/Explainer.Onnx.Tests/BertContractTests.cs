using Microsoft.Extensions.AI;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;

namespace Explainer.Onnx.Tests;

/// <summary>The BERT path on a tiny transformer the tests build: tokens, batching, padding, pooling, the M.E.AI surface.</summary>
public sealed class BertContractTests : IDisposable
{
    private static readonly string[] Texts =
    [
        "Unaffable guitar strings!", "the acoustic guitar", "bronze strings for my Martin guitar", "microphone stand",
        "a red pick", "strumming", "hard case, soft case and a black cable with 1/4 plugs", "play",
        "the old guitar and the new guitar and the red guitar and the black guitar strummed strings for my martin",
        "stands", "picked", "played", "zzz unknown words here", "cable", "Acoustic", "MARTIN GUITAR",
    ];

    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Token_ids_are_those_of_Microsoft_ML_Tokenizers_BertTokenizer()
    {
        var folder = TinyBert.Write(_temp.Sub("tiny"));
        using var generator = (OnnxEmbeddingGenerator)OnnxEncoder.Open(folder);
        var reference = BertTokenizer.Create(Path.Combine(folder, EncoderInfo.VocabFileName), new BertOptions { LowerCaseBeforeTokenization = true });

        // Hand-checked WordPiece split: [CLS] un ##aff ##able guitar string ##s ! [SEP]
        Assert.Equal([2, 9, 10, 11, 6, 7, 8, 32, 3], generator.Tokenize("Unaffable guitar strings!"));
        foreach (var text in Texts)
        {
            Assert.Equal(reference.EncodeToIds(text), generator.Tokenize(text));
        }
    }

    [Fact]
    public void Long_texts_are_truncated_to_max_tokens_and_keep_their_separator()
    {
        using var generator = (OnnxEmbeddingGenerator)OnnxEncoder.Open(TinyBert.Write(_temp.Sub("tiny"), maxTokens: 8));
        var ids = generator.Tokenize(string.Join(' ', Enumerable.Repeat("guitar", 50)));
        Assert.Equal(8, ids.Length);
        Assert.Equal(2, ids[0]);
        Assert.Equal(3, ids[^1]);

        // A long text embeds as its first six words: [CLS] + 6 + [SEP] = 8 tokens.
        var vectors = generator.Embed(["bronze guitar " + string.Join(' ', Enumerable.Repeat("pick", 500)), "bronze guitar pick pick pick pick"], out var tokens);
        Assert.Equal(16, tokens);
        AssertClose(vectors[1], vectors[0], 1e-5f);
    }

    [Fact]
    public async Task A_text_in_a_batch_of_32_equals_the_same_text_alone()
    {
        var folder = TinyBert.Write(_temp.Sub("tiny"));
        using var batched = OnnxEncoder.Open(new EncoderOptions { Path = folder, BatchSize = 32 });
        using var single = OnnxEncoder.Open(new EncoderOptions { Path = folder, BatchSize = 1 });
        var batch = Enumerable.Range(0, 32).Select(i => Texts[i % Texts.Length] + (i >= Texts.Length ? " guitar" : "")).ToArray();

        var together = await batched.GenerateAsync(batch);
        Assert.Equal(32, together.Count);
        for (var i = 0; i < batch.Length; i++)
        {
            var alone = await single.GenerateVectorAsync(batch[i]);
            AssertClose(alone.Span, together[i].Vector.Span, 1e-5f);
        }
    }

    [Fact]
    public void Padding_never_changes_a_vector()
    {
        using var generator = (OnnxEmbeddingGenerator)OnnxEncoder.Open(new EncoderOptions { Path = TinyBert.Write(_temp.Sub("tiny")), BatchSize = 64 });
        var longText = string.Join(' ', Enumerable.Repeat("the old guitar and the new strings", 8));
        foreach (var text in Texts)
        {
            var alone = generator.Embed([text], out _)[0];

            // Batched with a much longer text, this one is padded with many [PAD] tokens.
            var padded = generator.Embed([longText, text, longText + " pick"], out _)[1];
            AssertClose(alone, padded, 1e-5f);
        }
    }

    [Fact]
    public async Task Vectors_are_unit_length_in_input_order_with_metadata_and_usage()
    {
        using var generator = OnnxEncoder.Open(new EncoderOptions { Path = TinyBert.Write(_temp.Sub("tiny")), BatchSize = 4 });
        var result = await generator.GenerateAsync(Texts);
        Assert.Equal(Texts.Length, result.Count);
        foreach (var embedding in result)
        {
            Assert.Equal(TinyBert.Dim, embedding.Vector.Length);
            Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm(embedding.Vector.Span), 4);
            Assert.Equal("tiny-bert", embedding.ModelId);
        }

        // Input order is kept although texts are sorted by length inside: each equals its own single embedding.
        for (var i = 0; i < Texts.Length; i++)
        {
            AssertClose((await generator.GenerateVectorAsync(Texts[i])).Span, result[i].Vector.Span, 1e-5f);
        }

        Assert.True(result.Usage?.InputTokenCount > Texts.Length * 2);
        var metadata = generator.GetService<EmbeddingGeneratorMetadata>();
        Assert.Equal("onnxruntime", metadata?.ProviderName);
        Assert.Equal("tiny-bert", metadata?.DefaultModelId);
        Assert.Equal(TinyBert.Dim, metadata?.DefaultModelDimensions);
        Assert.NotNull(generator.GetService<InferenceSession>());
        Assert.Equal("tiny-bert", generator.GetService<EncoderInfo>()?.Name);
        Assert.Same(generator, generator.GetService<IEmbeddingGenerator<string, Embedding<float>>>());
        Assert.Null(generator.GetService<EmbeddingGeneratorMetadata>("some key"));
        Assert.Equal("CPU", OnnxEncoder.ExecutionProviderOf(generator));
    }

    [Fact]
    public async Task One_session_serves_parallel_callers_with_the_same_results()
    {
        using var generator = OnnxEncoder.Open(new EncoderOptions { Path = TinyBert.Write(_temp.Sub("tiny")), BatchSize = 3 });
        var expected = await generator.GenerateAsync(Texts);
        var runs = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => generator.GenerateAsync(Texts))));
        foreach (var run in runs)
        {
            for (var i = 0; i < Texts.Length; i++)
            {
                AssertClose(expected[i].Vector.Span, run[i].Vector.Span, 1e-6f);
            }
        }
    }

    [Fact]
    public void Cls_pooling_takes_the_first_token_and_the_graph_may_lack_token_type_ids()
    {
        using var mean = (OnnxEmbeddingGenerator)OnnxEncoder.Open(TinyBert.Write(_temp.Sub("mean"), tokenTypes: false));
        using var cls = (OnnxEmbeddingGenerator)OnnxEncoder.Open(TinyBert.Write(_temp.Sub("cls"), pooling: EncoderPooling.Cls, tokenTypes: false));
        var m = mean.Embed(["bronze strings for my martin guitar"], out _)[0];
        var c = cls.Embed(["bronze strings for my martin guitar"], out _)[0];
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm(c), 4);
        Assert.True(System.Numerics.Tensors.TensorPrimitives.Dot(m, c) < 0.999f, "CLS pooling should differ from mean pooling");
        AssertClose(c, cls.Embed(["bronze strings for my martin guitar", "a much longer text that pads the other one guitar guitar guitar"], out _)[0], 1e-5f);
    }

    internal static void AssertClose(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance, $"component {i}: {expected[i]} vs {actual[i]} (tolerance {tolerance})");
        }
    }
}
