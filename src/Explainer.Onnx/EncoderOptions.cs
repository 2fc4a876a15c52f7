using Explainer.Core;
namespace Explainer.Onnx;

/// <summary>Where the encoder lives and how it runs. Bound from the configuration section <c>Encoder</c>.</summary>
public sealed class EncoderOptions
{
    public const string Section = "Encoder";

    /// <summary>The default encoder folder, built by <c>./setup</c> (<c>explainer models build-encoder</c>).</summary>
    public const string DefaultPath = "models/glove-100d";

    /// <summary>
    /// The encoder folder (holding <c>model.onnx</c>, <c>vocab.txt</c> and <c>encoder.json</c>). A relative path is
    /// resolved against the repository root (the folder holding <c>Explainer.sln</c> above the program), else the
    /// current directory.
    /// </summary>
    public string Path { get; set; } = DefaultPath;

    /// <summary><c>auto</c> (CUDA when the GPU runtime is present, else CPU), <c>cpu</c> or <c>cuda</c> (an error when unavailable).</summary>
    public EncoderDevice Device { get; set; } = EncoderDevice.Auto;

    /// <summary>Texts per ONNX run. Texts are sorted by length and each batch is padded to its longest text only.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Intra-op threads for ONNX Runtime; 0 lets it choose (one per physical core).</summary>
    public int Threads { get; set; }

    /// <summary>The folder <see cref="Path"/> names, made absolute.</summary>
    public string ResolvePath() => RepositoryPaths.Resolve(Path);
}

/// <summary>The execution provider to run the encoder on.</summary>
public enum EncoderDevice
{
    Auto,
    Cpu,
    Cuda,
}
