using Explainer.Onnx.Glove;
using Microsoft.Extensions.AI;

namespace Explainer.Onnx.Tests;

/// <summary>The GloVe builder on a small file in the wink format: streaming, vocabulary, determinism, skipping, progress.</summary>
public sealed class GloveEncoderBuilderTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_reader_streams_every_vector_whatever_the_buffer_size()
    {
        var path = SyntheticWink.Write(_temp.Path, 60);
        foreach (var bufferSize in (int[])[64, 1000, 1 << 20])
        {
            var seen = new List<(string Word, int Rank, float First)>();
            using var stream = File.OpenRead(path);
            var header = WinkVectorReader.Read(stream, (h, word, rank, vector) =>
            {
                Assert.Equal(100, vector.Length);
                seen.Add((word, rank, vector[0]));
                return true;
            }, null, CancellationToken.None, bufferSize);
            Assert.Equal(new WinkHeader(60, 100, 100, 101), header);
            Assert.Equal(60, seen.Count);
            Assert.Equal(Enumerable.Range(0, 60), seen.Select(s => s.Rank));
            Assert.Equal("word59", seen[^1].Word);
        }
    }

    [Fact]
    public void A_file_that_is_not_wink_embeddings_is_a_clear_error()
    {
        var bad = Path.Combine(_temp.Path, "bad.json");
        File.WriteAllText(bad, "{\"vectors\":{\"a\":[1,2");
        var ex = Assert.Throws<EncoderException>(() => GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = bad, OutputFolder = _temp.Sub("out"), VocabularySize = 10 }));
        Assert.Contains("not a usable wink-embeddings file", ex.Message);

        var missing = Assert.Throws<EncoderException>(() => GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = Path.Combine(_temp.Path, "none.json"), OutputFolder = _temp.Sub("out2") }));
        Assert.Contains("./setup", missing.Message);
    }

    [Fact]
    public void The_vocabulary_has_the_bert_specials_first_and_only_words_the_tokenizer_can_produce()
    {
        var source = SyntheticWink.Write(_temp.Path, 40);
        var output = _temp.Sub("enc");
        var result = GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = source, OutputFolder = output, VocabularySize = 30, IdentityDimensions = 0 });

        var vocab = File.ReadAllLines(Path.Combine(output, EncoderInfo.VocabFileName));
        Assert.Equal(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "word0", ","], vocab[..7]);
        Assert.Equal(35, vocab.Length);
        Assert.Empty(vocab.Intersect(["cross-country", "u.s.", "Capital"]));

        // Every word is one token for the BERT tokenizer the encoder uses (so no row is unreachable).
        var tokenizer = Microsoft.ML.Tokenizers.BertTokenizer.Create(Path.Combine(output, EncoderInfo.VocabFileName), new Microsoft.ML.Tokenizers.BertOptions { LowerCaseBeforeTokenization = true, RemoveNonSpacingMarks = true });
        for (var id = 5; id < vocab.Length; id++)
        {
            Assert.Equal([id], tokenizer.EncodeToIds(vocab[id], addSpecialTokens: false));
        }
        Assert.Equal(30, result.VocabularySize);
        Assert.Equal(33, result.WordsRead); // 3 unusable entries skipped; reading stopped at 30 usable words

        var info = EncoderInfo.Load(output);
        Assert.Equal(100, info.Dimension);
        Assert.Equal(EncoderPooling.Mean, info.Pooling);
        Assert.Equal("token_embeddings", info.OutputName);
    }

    [Fact]
    public async Task The_graph_gathers_weighted_rows_so_a_text_is_the_weighted_mean_of_its_words()
    {
        var source = SyntheticWink.Write(_temp.Path, 40);
        var output = _temp.Sub("enc");
        GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = source, OutputFolder = output, VocabularySize = 30, IdentityDimensions = 0, RemoveCommonComponent = false, SifA = 0.01 });
        using var generator = OnnxEncoder.Open(output);

        // Expected by hand from the source: a/(a+p) with p = 1/((rank+1)·H_40), times the GloVe vector, summed, normalised.
        var raw = new Dictionary<string, (int Rank, float[] Vector)>();
        using (var stream = File.OpenRead(source))
        {
            WinkVectorReader.Read(stream, (h, w, r, v) => { raw[w] = (r, v); return true; }, null, CancellationToken.None);
        }

        var harmonic = Math.Log(40) + 0.5772156649015329 + (1.0 / 80);
        var expected = new float[100];
        foreach (var word in (string[])["word0", "word10", ",", "word20"])
        {
            var (rank, vector) = raw[word];
            var weight = (float)(0.01 / (0.01 + (1.0 / ((rank + 1) * harmonic))));
            for (var d = 0; d < 100; d++)
            {
                expected[d] += weight * vector[d];
            }
        }

        System.Numerics.Tensors.TensorPrimitives.Divide(expected, System.Numerics.Tensors.TensorPrimitives.Norm(expected), expected);
        var actual = await generator.GenerateVectorAsync("Word0 word10, WORD20 unknownword");
        BertContractTests.AssertClose(expected, actual.Span, 1e-5f);

        // The frequent word is weighted down: word0 (rank 0) counts less than word20 (rank 20).
        Assert.True(GloveEncoderBuilder.ZipfProbabilities([0], 40)[0] > GloveEncoderBuilder.ZipfProbabilities([20], 40)[0]);
    }

    [Fact]
    public void Builds_are_deterministic_skipped_when_up_to_date_and_redone_when_changed_or_forced()
    {
        var source = SyntheticWink.Write(_temp.Path, 80);
        var a = _temp.Sub("a");
        var b = _temp.Sub("b");
        var options = new GloveBuildOptions { SourcePath = source, OutputFolder = a, VocabularySize = 60 };
        var progress = new List<GloveBuildProgress>();
        var first = GloveEncoderBuilder.Build(options, new SyncProgress<GloveBuildProgress>(progress.Add));
        GloveEncoderBuilder.Build(options with { OutputFolder = b });
        Assert.False(first.Skipped);
        foreach (var file in (string[])["model.onnx", "vocab.txt", "encoder.json", "build.json"])
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, file)), File.ReadAllBytes(Path.Combine(b, file)));
        }

        Assert.Contains(progress, p => p.Stage == "reading" && p.WordsKept > 0 && p.BytesRead > 0 && p.TotalBytes == new FileInfo(source).Length);
        Assert.Equal("writing", progress[^1].Stage);
        Assert.Equal(60, progress[^1].WordsKept);

        Assert.True(GloveEncoderBuilder.IsUpToDate(options));
        var again = GloveEncoderBuilder.Build(options);
        Assert.True(again.Skipped);
        Assert.Equal(first.ModelSha256, again.ModelSha256);

        // Another vocabulary size, a damaged output file, or --force: built again.
        Assert.False(GloveEncoderBuilder.IsUpToDate(options with { VocabularySize = 50 }));
        File.AppendAllText(Path.Combine(a, "vocab.txt"), "tampered\n");
        Assert.False(GloveEncoderBuilder.IsUpToDate(options));
        Assert.False(GloveEncoderBuilder.Build(options).Skipped);
        Assert.True(GloveEncoderBuilder.IsUpToDate(options));
        Assert.False(GloveEncoderBuilder.Build(options with { Force = true }).Skipped);
    }

    [Fact]
    public void Identity_dimensions_make_equal_words_closer_than_the_glove_part_alone()
    {
        var source = SyntheticWink.Write(_temp.Path, 40);
        var output = _temp.Sub("enc");
        GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = source, OutputFolder = output, VocabularySize = 30, IdentityDimensions = 156 });
        Assert.Equal(256, EncoderInfo.Load(output).Dimension);

        var u = new float[156];
        var v = new float[156];
        GloveEncoderBuilder.IdentityVector("guitar", u, 1);
        GloveEncoderBuilder.IdentityVector("guitar", v, 1);
        Assert.Equal(u, v);
        Assert.Equal(1f, System.Numerics.Tensors.TensorPrimitives.Norm(u), 5);
        GloveEncoderBuilder.IdentityVector("strings", v, 1);
        Assert.True(MathF.Abs(System.Numerics.Tensors.TensorPrimitives.Dot(u, v)) < 0.35f);
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; this one reports on the caller's thread, in order.</summary>
    private sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
