using System.Reflection;
using System.Runtime.InteropServices;

namespace Explainer.Llama.Native;

/// <summary>
/// Finds the llama.cpp libraries (npm <c>@node-llama-cpp/linux-x64[-cuda[-ext]]@3.22.1</c> under <c>.deps/</c>, or <c>Llm:NativePath</c>)
/// and loads them by full path, so the published app and <c>dotnet test</c> behave the same.
/// </summary>
internal static class NativeLibraryResolver
{
    private static readonly object Gate = new();
    private static string? _directory;
    private static bool _installed;

    public static string? Directory => _directory;

    /// <summary>The npm package folder names for this process, most capable first: CUDA 13, CUDA 12, CPU.</summary>
    public static string PlatformPackage => $"linux-{RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant()}";

    /// <summary>Locates <c>&lt;repo&gt;/.deps/node_modules/@node-llama-cpp</c> by walking up from the app's folder (and the current directory).</summary>
    public static string? FindPackagesRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, System.IO.Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, ".deps", "node_modules", "@node-llama-cpp");
                if (System.IO.Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        return null;
    }

    /// <summary>The <c>bins/*</c> folder of an installed package that holds libllama, or null.</summary>
    public static string? FindBinsDirectory(string packagesRoot, string packageName)
    {
        var bins = Path.Combine(packagesRoot, packageName, "bins");
        if (!System.IO.Directory.Exists(bins))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(bins).Order(StringComparer.Ordinal).FirstOrDefault(d => FindLibrary(d, "llama") is not null);
    }

    /// <summary>
    /// The file implementing a logical library name in <paramref name="directory"/>: lib{name}.so, or a versioned name as
    /// node-llama-cpp ships them (libllama.v0.5.0.so on CPU, libllama.cuda.v0.5.0.so in the CUDA build).
    /// </summary>
    public static string? FindLibrary(string directory, string name)
    {
        var exact = Path.Combine(directory, $"lib{name}.so");
        if (File.Exists(exact))
        {
            return exact;
        }

        return System.IO.Directory.Exists(directory)
            ? System.IO.Directory.EnumerateFiles(directory, $"lib{name}.*.so").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
    }

    /// <summary>Points every [LibraryImport] of this assembly at <paramref name="directory"/> and loads libllama from there.</summary>
    public static void Install(string directory)
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }

            var llama = FindLibrary(directory, NativeLibraries.Llama);
            if (llama is null)
            {
                throw new LlamaException(
                    $"No libllama*.so in '{directory}' (process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}). Run ./setup.");
            }

            try
            {
                NativeLibrary.Load(llama);
            }
            catch (Exception e) when (e is DllNotFoundException or BadImageFormatException)
            {
                throw new LlamaException(
                    $"Could not load '{llama}' (process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}): {e.Message}", e);
            }

            _directory = directory;
            NativeLibrary.SetDllImportResolver(typeof(NativeLibraryResolver).Assembly, Resolve);
            _installed = true;
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (_directory is null || libraryName is not (NativeLibraries.Llama or NativeLibraries.Ggml or NativeLibraries.GgmlBase))
        {
            return IntPtr.Zero;
        }

        var path = FindLibrary(_directory, libraryName)
            ?? throw new DllNotFoundException(
                $"lib{libraryName}.so not found in '{_directory}' (process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}). Run ./setup.");
        return NativeLibrary.Load(path);
    }
}
