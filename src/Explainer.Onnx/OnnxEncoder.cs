using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Onnx;

/// <summary>Opens ONNX sentence encoders as <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.</summary>
public static class OnnxEncoder
{
    /// <summary>Opens the encoder that <paramref name="options"/> names (Encoder:Path, resolved against the repository root).</summary>
    /// <exception cref="EncoderException">The folder is missing, incomplete, corrupt or inconsistent; the message says what to do.</exception>
    public static IEmbeddingGenerator<string, Embedding<float>> Open(EncoderOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Explainer.Onnx.OnnxEncoder");
        return OnnxEmbeddingGenerator.Open(options.ResolvePath(), options, logger);
    }

    /// <summary>Opens the encoder in <paramref name="folder"/> with default options.</summary>
    public static IEmbeddingGenerator<string, Embedding<float>> Open(string folder, ILoggerFactory? loggerFactory = null) =>
        Open(new EncoderOptions { Path = folder }, loggerFactory);

    /// <summary>Whether <paramref name="folder"/> looks like an encoder folder (it has <c>encoder.json</c>).</summary>
    public static bool IsEncoderFolder(string folder) => File.Exists(Path.Combine(folder, EncoderInfo.FileName));

    /// <summary>"CUDA" or "CPU": where an opened encoder runs.</summary>
    public static string ExecutionProviderOf(IEmbeddingGenerator generator) =>
        generator.GetService(typeof(OnnxEmbeddingGenerator)) is OnnxEmbeddingGenerator onnx ? onnx.ExecutionProvider : "unknown";
}
