namespace Explainer.Explaining.Tests;

/// <summary>Where the repository and the shared real data are, from a test's output folder.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Shared(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", relative));
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Real test data {path} is missing: the tests expect ../shared beside the repository.");
    }

    public static string AmazonReviews => Shared("data/amazon-musical-instruments/reviews.csv");

    public static string AmazonItems => Shared("data/amazon-musical-instruments/items.csv");

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
