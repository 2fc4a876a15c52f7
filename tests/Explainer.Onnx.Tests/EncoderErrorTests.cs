using Explainer.Onnx.Glove;
using Microsoft.Extensions.AI;

namespace Explainer.Onnx.Tests;

/// <summary>Broken folders, mismatched vocabularies and bad input give clear errors or defined results, never a native crash.</summary>
public sealed class EncoderErrorTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_missing_folder_says_to_run_setup()
    {
        var ex = Assert.Throws<EncoderException>(() => OnnxEncoder.Open(Path.Combine(_temp.Path, "nowhere")));
        Assert.Contains("does not exist", ex.Message);
        Assert.Contains("./setup", ex.Message);
    }

    [Fact]
    public void A_folder_without_encoder_json_or_model_or_vocab_is_named()
    {
        var empty = _temp.Sub("empty");
        Assert.Contains("encoder.json is missing", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(empty)).Message);

        var noModel = TinyBert.Write(_temp.Sub("no-model"));
        File.Delete(Path.Combine(noModel, EncoderInfo.ModelFileName));
        Assert.Contains("has no model.onnx", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(noModel)).Message);

        var noVocab = TinyBert.Write(_temp.Sub("no-vocab"));
        File.Delete(Path.Combine(noVocab, EncoderInfo.VocabFileName));
        Assert.Contains("has no vocab.txt", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(noVocab)).Message);

        var badJson = TinyBert.Write(_temp.Sub("bad-json"));
        File.WriteAllText(Path.Combine(badJson, EncoderInfo.FileName), "{ \"name\": \"x\", ");
        Assert.Contains("encoder.json is not valid", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(badJson)).Message);
    }

    [Fact]
    public void A_corrupt_or_truncated_model_is_a_clear_error()
    {
        var garbage = TinyBert.Write(_temp.Sub("garbage"));
        File.WriteAllBytes(Path.Combine(garbage, EncoderInfo.ModelFileName), Enumerable.Range(0, 4096).Select(i => (byte)(i * 31 % 251)).ToArray());
        Assert.Contains("cannot be loaded by ONNX Runtime", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(garbage)).Message);

        var truncated = TinyBert.Write(_temp.Sub("truncated"));
        var model = Path.Combine(truncated, EncoderInfo.ModelFileName);
        var bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length / 2)]);
        Assert.Contains("cannot be loaded by ONNX Runtime", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(truncated)).Message);
    }

    [Fact]
    public void A_vocabulary_larger_than_the_embedding_table_fails_at_open()
    {
        // The table has 20 rows but vocab.txt has 46 tokens: ids 20..45 would index past the table.
        var folder = TinyBert.Write(_temp.Sub("mismatch"), tableRows: 20);
        var ex = Assert.Throws<EncoderException>(() => OnnxEncoder.Open(folder));
        Assert.Contains("does not match the model's embedding table", ex.Message);
        Assert.Contains($"{TinyBert.Vocabulary.Length} tokens", ex.Message);
    }

    [Fact]
    public void A_glove_encoder_whose_vocab_was_changed_is_caught_by_the_declared_size()
    {
        var folder = _temp.Sub("glove");
        GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = SyntheticWink.Write(_temp.Path, 40), OutputFolder = folder, VocabularySize = 30, IdentityDimensions = 8 });
        File.AppendAllLines(Path.Combine(folder, EncoderInfo.VocabFileName), ["extra"]);
        Assert.Contains("does not match the graph", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(folder)).Message);
    }

    [Fact]
    public void Wrong_output_name_dimension_or_inputs_are_explained()
    {
        var folder = TinyBert.Write(_temp.Sub("output"));
        new EncoderInfo { Name = "tiny", Dimension = TinyBert.Dim, OutputName = "pooler_output" }.Save(folder);
        Assert.Contains("names output 'pooler_output'", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(folder)).Message);

        new EncoderInfo { Name = "tiny", Dimension = 384, OutputName = "last_hidden_state" }.Save(folder);
        Assert.Contains("dimension 384", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(folder)).Message);

        new EncoderInfo { Name = "tiny", Dimension = TinyBert.Dim, OutputName = "last_hidden_state", Pooling = EncoderPooling.None }.Save(folder);
        Assert.Contains("need rank 2", Assert.Throws<EncoderException>(() => OnnxEncoder.Open(folder)).Message);
    }

    [Fact]
    public async Task Empty_text_is_an_argument_error_naming_its_index_and_unknown_words_give_the_zero_vector()
    {
        var folder = _temp.Sub("glove");
        GloveEncoderBuilder.Build(new GloveBuildOptions { SourcePath = SyntheticWink.Write(_temp.Path, 40), OutputFolder = folder, VocabularySize = 30, IdentityDimensions = 8 });
        using var generator = OnnxEncoder.Open(folder);

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["word0", "", "word1"]));
        Assert.Contains("Text 1 is empty", ex.Message);
        await Assert.ThrowsAsync<ArgumentException>(() => generator.GenerateAsync(["  \t "]));

        // Every token unknown ([UNK] has a zero row): the zero vector, whose dot product with anything is 0.
        var unknown = await generator.GenerateVectorAsync("qqqq zzzz");
        Assert.All(unknown.ToArray(), x => Assert.Equal(0f, x));

        var none = await generator.GenerateAsync([]);
        Assert.Empty(none);
    }

    [Fact]
    public void Cuda_on_a_cpu_build_is_a_clear_error_and_auto_falls_back_to_cpu()
    {
        var folder = TinyBert.Write(_temp.Sub("tiny"));
        var ex = Assert.Throws<EncoderException>(() => OnnxEncoder.Open(new EncoderOptions { Path = folder, Device = EncoderDevice.Cuda }));
        Assert.Contains("no CUDA execution provider", ex.Message);
        Assert.Contains("-p:OnnxGpu=true", ex.Message);

        using var auto = OnnxEncoder.Open(new EncoderOptions { Path = folder, Device = EncoderDevice.Auto, Threads = 1 });
        Assert.Equal("CPU", OnnxEncoder.ExecutionProviderOf(auto));
    }

    [Fact]
    public async Task A_disposed_generator_refuses_work()
    {
        var generator = OnnxEncoder.Open(TinyBert.Write(_temp.Sub("tiny")));
        generator.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => generator.GenerateAsync(["guitar"]));
    }
}
