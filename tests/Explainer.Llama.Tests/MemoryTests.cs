using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Explainer.Llama.Tests;

public sealed partial class MemoryTests(ITestOutputHelper output)
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

        for (var i = 0; i < 50; i++) // warm-up: JIT tiers, thread-pool threads and allocator arenas settle in the first ~50
        {
            await Cycle();
        }

        var before = ResidentKilobytes();
        for (var i = 0; i < 100; i++)
        {
            await Cycle();
        }

        var growthMb = (ResidentKilobytes() - before) / 1024.0;
        output.WriteLine($"VmRSS before {before / 1024.0:F1} MB, growth {growthMb:F1} MB over 100 cycles");
        Assert.True(growthMb < 50, $"resident memory grew by {growthMb:F1} MB over 100 load/free cycles");
    }

    /// <summary>VmRSS after a GC and malloc_trim, so freed-but-cached allocator pages (glibc keeps them per thread arena) do not count as a leak.</summary>
    private static long ResidentKilobytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        _ = MallocTrim(0); // 1 if memory was released, 0 if there was nothing to release: both fine
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(Digits().Match(line).Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
