using System.Text.RegularExpressions;

namespace Explainer.Llama.Tests;

public sealed partial class MemoryTests
{
    [Fact]
    public async Task Loading_and_freeing_model_and_context_100_times_keeps_resident_memory_flat()
    {
        async Task Cycle()
        {
            using var model = TestModel.Load();
            using var batch = new LlamaBatchGenerator(model, parallelSequences: 2);
            var result = await batch.GenerateAsync([new LlamaRequest("Once upon a time") { MaxTokens = 4 }]);
            Assert.Equal(4, result[0].Tokens.Count);
        }

        for (var i = 0; i < 10; i++)
        {
            await Cycle();
        }

        var before = ResidentKilobytes();
        for (var i = 0; i < 100; i++)
        {
            await Cycle();
        }

        GC.Collect();
        GC.WaitForPendingFinalizers();
        var growthMb = (ResidentKilobytes() - before) / 1024.0;
        Assert.True(growthMb < 50, $"resident memory grew by {growthMb:F1} MB over 100 load/free cycles");
    }

    private static long ResidentKilobytes()
    {
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
