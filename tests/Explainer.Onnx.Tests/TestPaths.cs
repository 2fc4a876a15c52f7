using Explainer.Core;
namespace Explainer.Onnx.Tests;

/// <summary>Where the tests find the repository, the shared data and the encoder built by ./setup.</summary>
internal static class TestPaths
{
    public static string RepositoryRoot { get; } = RepositoryPaths.FindRoot(AppContext.BaseDirectory)
        ?? throw new InvalidOperationException($"No Explainer.sln above {AppContext.BaseDirectory}.");

    public static string ItemsCsv
    {
        get
        {
            var path = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "data", "amazon-musical-instruments", "items.csv"));
            Assert.True(File.Exists(path), $"The real catalogue {path} is missing: shared/ must sit beside the repository.");
            return path;
        }
    }

    /// <summary>The default encoder (models/glove-100d), which ./setup builds; the message says so when it is missing.</summary>
    public static string DefaultEncoder
    {
        get
        {
            var path = Path.Combine(RepositoryRoot, EncoderOptions.DefaultPath);
            Assert.True(OnnxEncoder.IsEncoderFolder(path), $"The default encoder {path} is missing: run ./setup first (it builds models/glove-100d from the GloVe vectors).");
            return path;
        }
    }
}

/// <summary>A temporary folder deleted at the end of the test.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "explainer-onnx-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Sub(string name)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(path);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }
}
