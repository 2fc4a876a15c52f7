namespace Explainer.Core;

/// <summary>Resolves relative model paths against the repository root, so the CLI finds <c>models/</c> wherever it is started from.</summary>
public static class RepositoryPaths
{
    private static readonly Lazy<string?> s_root = new(() => FindRoot(AppContext.BaseDirectory) ?? FindRoot(Directory.GetCurrentDirectory()));

    /// <summary>The folder holding <c>Explainer.sln</c> above the program (or the current directory), or null.</summary>
    public static string? Root => s_root.Value;

    public static string Resolve(string path)
    {
        if (System.IO.Path.IsPathRooted(path))
        {
            return System.IO.Path.GetFullPath(path);
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(Root ?? Directory.GetCurrentDirectory(), path));
    }

    public static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Explainer.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
