using System.Text;

namespace Explainer.Llama.Tests;

public sealed class ErrorTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("explainer-llama-").FullName;

    [Fact]
    public void A_missing_file_names_the_path()
    {
        var path = Path.Combine(_dir, "nope.gguf");
        var error = Assert.Throws<LlamaException>(() => TestModel.Load(o => o.ModelPath = path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_configured_model_names_the_setting()
    {
        var error = Assert.Throws<LlamaException>(() => TestModel.Load(o => o.ModelPath = null));

        Assert.Contains("Llm:ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_that_is_not_a_GGUF_says_so()
    {
        var path = Path.Combine(_dir, "readme.gguf");
        File.WriteAllText(path, "This is not a model, just some text that is long enough.");
        var error = Assert.Throws<LlamaException>(() => TestModel.Load(o => o.ModelPath = path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("not a GGUF", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.6)] // tensor data cut
    [InlineData(0.001)] // metadata cut
    public void A_truncated_GGUF_says_so(double fraction)
    {
        var bytes = File.ReadAllBytes(TestModel.Path);
        var path = Path.Combine(_dir, "truncated.gguf");
        File.WriteAllBytes(path, bytes.AsSpan(0, (int)(bytes.Length * fraction)).ToArray());
        var error = Assert.Throws<LlamaException>(() => TestModel.Load(o => o.ModelPath = path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unsupported_architecture_is_named()
    {
        var path = Path.Combine(_dir, "alien.gguf");
        using (var writer = new BinaryWriter(File.Create(path)))
        {
            writer.Write(Encoding.ASCII.GetBytes("GGUF"));
            writer.Write(3u); // version
            writer.Write(0UL); // tensors
            writer.Write(1UL); // metadata pairs
            WriteString(writer, "general.architecture");
            writer.Write(8u); // string
            WriteString(writer, "nosucharch");
        }

        var error = Assert.Throws<LlamaException>(() => TestModel.Load(o => o.ModelPath = path));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.Contains("architecture 'nosucharch' is not supported", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_cuda_without_a_gpu_is_a_clear_error()
    {
        using var cpu = TestModel.Load();
        var error = Assert.Throws<LlamaException>(() => LlamaModel.Load(TestModel.Options(o => o.Backend = LlamaBackendKind.Cuda)));

        Assert.Contains("'cuda'", error.Message, StringComparison.Ordinal);
        Assert.Matches("setup --cuda|driver|CUDA device|runs llama.cpp on the CPU", error.Message);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static void WriteString(BinaryWriter writer, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        writer.Write((ulong)bytes.Length);
        writer.Write(bytes);
    }
}
