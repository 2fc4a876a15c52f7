using Explainer.Llama.Native;

namespace Explainer.Llama.Tests;

public sealed class NativeLibraryResolverTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("explainer-native-").FullName;

    [Theory]
    [InlineData("libllama.v0.5.0.so", "llama")] // CPU package
    [InlineData("libllama.cuda.v0.5.0.so", "llama")] // CUDA package
    [InlineData("libggml.cuda.v0.5.0.so", "ggml")]
    [InlineData("libggml-base.so", "ggml-base")]
    [InlineData("libllama.so", "llama")] // a self-built llama.cpp
    public void Finds_the_library_files_node_llama_cpp_ships(string file, string name)
    {
        File.WriteAllBytes(Path.Combine(_dir, file), []);

        Assert.Equal(Path.Combine(_dir, file), NativeLibraryResolver.FindLibrary(_dir, name));
    }

    [Fact]
    public void Does_not_mistake_llama_common_or_ggml_base_for_llama_or_ggml()
    {
        File.WriteAllBytes(Path.Combine(_dir, "libllama-common.so"), []);
        File.WriteAllBytes(Path.Combine(_dir, "libggml-base.so"), []);

        Assert.Null(NativeLibraryResolver.FindLibrary(_dir, "llama"));
        Assert.Null(NativeLibraryResolver.FindLibrary(_dir, "ggml"));
    }

    [Fact]
    public void The_installed_cpu_package_is_found_from_the_test_folder()
    {
        var root = NativeLibraryResolver.FindPackagesRoot();
        Assert.True(root is not null, "no .deps/node_modules/@node-llama-cpp above the tests: run ./setup");
        var bins = NativeLibraryResolver.FindBinsDirectory(root, "linux-x64");

        Assert.NotNull(bins);
        Assert.NotNull(NativeLibraryResolver.FindLibrary(bins, "llama"));
        Assert.NotNull(NativeLibraryResolver.FindLibrary(bins, "ggml-base"));
        Assert.NotEmpty(Directory.GetFiles(bins, "libggml-cpu-*.so"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
