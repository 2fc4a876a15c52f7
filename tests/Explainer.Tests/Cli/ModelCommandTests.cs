using System.Globalization;
using System.Text.RegularExpressions;

namespace Explainer.Tests.Cli;

/// <summary>The acceptance commands of the LLM and encoder issues, run through the real command tree.</summary>
public sealed partial class ModelCommandTests
{
    private static string StoriesModel => TestPaths.Shared("models/stories260K.gguf");

    [Fact]
    public async Task Llm_generate_continues_the_story_greedily_and_streaming_prints_the_same()
    {
        string[] args = ["llm", "generate", "--model", StoriesModel, "--prompt", "Once upon a time", "--max-tokens", "16", "--temperature", "0"];

        var (code, output) = await CliRunner.RunAsync(args);
        var (streamCode, streamed) = await CliRunner.RunAsync([.. args, "--stream"]);

        Assert.Equal(0, code);
        Assert.StartsWith(", there was a little girl named Lily", output.Trim(), StringComparison.Ordinal);
        Assert.Equal(0, streamCode);
        Assert.Equal(output.Trim(), streamed.Trim());
    }

    [Fact]
    public async Task Llm_errors_name_the_file_and_exit_1()
    {
        var (code, output) = await CliRunner.RunAsync("llm", "info", "--model", "/nonexistent/model.gguf");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/model.gguf", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Embed_ranks_the_martin_strings_closer_to_guitar_strings_than_the_stand()
    {
        var (code, output) = await CliRunner.RunAsync("embed", "acoustic guitar strings", "bronze strings for my Martin guitar", "microphone stand");

        Assert.Equal(0, code);
        var row = output.Split('\n').First(l => l.Contains("acoustic guitar strings", StringComparison.Ordinal));
        var cosines = Cosine().Matches(row).Select(m => double.Parse(m.Value, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3, cosines.Length);
        Assert.Equal(1.0, cosines[0], 3);
        Assert.True(cosines[1] > cosines[2], $"cos(1,2) = {cosines[1]} should beat cos(1,3) = {cosines[2]}");
    }

    [GeneratedRegex(@"-?\d\.\d{3}")]
    private static partial Regex Cosine();
}
