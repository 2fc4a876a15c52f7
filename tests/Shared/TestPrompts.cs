namespace Explainer.Testing;

/// <summary>Copies of prompts/ for tests that change them (e.g. cap the outputs so the tiny test model finishes fast).</summary>
internal static class TestPrompts
{
    /// <summary>
    /// A copy of prompts/ in <paramref name="dir"/> with each edit applied to a prompt's config.json (a replacement that
    /// must match: a test whose edit no longer applies fails instead of silently running the full-length prompt).
    /// </summary>
    public static string Copy(TempDir dir, params (string Prompt, string From, string To)[] edits)
    {
        var root = Path.Combine(dir.Path, "prompts");
        foreach (var file in Directory.EnumerateFiles(TestPaths.Prompts, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(root, Path.GetRelativePath(TestPaths.Prompts, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        foreach (var (prompt, from, to) in edits)
        {
            var config = Path.Combine(root, prompt, "config.json");
            var text = File.ReadAllText(config);
            Assert.Contains(from, text, StringComparison.Ordinal);
            File.WriteAllText(config, text.Replace(from, to, StringComparison.Ordinal));
        }

        return root;
    }
}
