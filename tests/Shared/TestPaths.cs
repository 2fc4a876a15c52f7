namespace Explainer.Testing;

// One copy, compiled into every test project (linked from each .csproj).

/// <summary>Where the repository and the shared real data are, from a test's output folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>A path under <c>../shared</c> (beside the repository); fails with a clear message when it is missing.</summary>
    public static string Shared(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", relative));
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Real test data {path} is missing: the tests expect ../shared beside the repository.");
    }

    public static string AmazonReviews => Shared("data/amazon-musical-instruments/reviews.csv");

    public static string AmazonItems => Shared("data/amazon-musical-instruments/items.csv");

    public static string MovieLens => Shared("data/movielens-latest-small");

    public static string StoriesModel => Shared("models/stories260K.gguf");

    public static string Prompts => Path.Combine(RepoRoot, "prompts");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Explainer.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Explainer.sln above {AppContext.BaseDirectory}.");
    }
}

/// <summary>A scratch folder deleted after the test.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "explainer-tests", Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public string Write(string name, string content)
    {
        var path = File(name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string WriteGzip(string name, string content)
    {
        var path = File(name);
        using var file = System.IO.File.Create(path);
        using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionLevel.Optimal);
        gz.Write(System.Text.Encoding.UTF8.GetBytes(content));
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
            // A store still mapped by a finaliser; the OS temp cleaner gets it.
        }
    }
}
