using System.Runtime.InteropServices;
using Explainer.Llama.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Explainer.Llama;

/// <summary>
/// The process-wide llama.cpp runtime: which libraries were loaded, which backend runs and on which devices.
/// Initialised once (libraries cannot be swapped inside a process); later calls get the same instance.
/// </summary>
public sealed unsafe class LlamaRuntime
{
    private static readonly object Gate = new();
    private static LlamaRuntime? _current;

    private LlamaRuntime(string nativeDirectory, LlamaBackendKind backend, string version, IReadOnlyList<string> devices)
    {
        NativeDirectory = nativeDirectory;
        Backend = backend;
        Version = version;
        Devices = devices;
    }

    /// <summary>The folder the libraries were loaded from.</summary>
    public string NativeDirectory { get; }

    /// <summary>The backend that runs: <see cref="LlamaBackendKind.Cpu"/> or <see cref="LlamaBackendKind.Cuda"/>.</summary>
    public LlamaBackendKind Backend { get; }

    /// <summary><c>llama_version()</c>.</summary>
    public string Version { get; }

    /// <summary>ggml devices, e.g. "CPU (AMD EPYC ...)" or "CUDA0 (NVIDIA ...)".</summary>
    public IReadOnlyList<string> Devices { get; }

    /// <summary>A one-line description for logs and <c>llm info</c>.</summary>
    public string Description => $"{(Backend == LlamaBackendKind.Cuda ? "CUDA" : "CPU")} — {string.Join(", ", Devices)} (llama.cpp {Version})";

    /// <summary>Loads the libraries and initialises the backend (once per process).</summary>
    public static LlamaRuntime Initialize(LlamaOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        lock (Gate)
        {
            var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Explainer.Llama");
            if (_current is { } current)
            {
                if (options.Backend == LlamaBackendKind.Cuda && current.Backend != LlamaBackendKind.Cuda)
                {
                    // Explain why there is no CUDA here (the CPU libraries are already loaded, so this is only a diagnosis).
                    try
                    {
                        ChooseDirectory(options, logger);
                    }
                    catch (LlamaException e)
                    {
                        throw new LlamaException(e.Message, e);
                    }

                    throw new LlamaException("Llm:Backend is 'cuda' but this process already runs llama.cpp on the CPU; the backend is chosen once per process.");
                }

                if (options.Backend == LlamaBackendKind.Cpu && current.Backend != LlamaBackendKind.Cpu)
                {
                    throw new LlamaException("Llm:Backend is 'cpu' but this process already runs llama.cpp on CUDA; the backend is chosen once per process.");
                }

                return current;
            }

            NativeAbi.VerifySizes();
            var (directory, cudaLibraries) = ChooseDirectory(options, logger);
            NativeLibraryResolver.Install(directory);
            NativeLog.Logger = logger;
            NativeLog.Install();

            var version = Utf8(NativeMethods.llama_version());
            if (!version.StartsWith(NativeAbi.ExpectedLlamaVersion, StringComparison.Ordinal))
            {
                throw new LlamaException(
                    $"The llama.cpp library in '{directory}' is version {version}; this binding needs {NativeAbi.ExpectedPackage}. Run ./setup.");
            }

            NativeAbi.VerifyDefaults(NativeLibraryResolver.FindLibrary(directory, NativeLibraries.Llama)!);

            // Without this the CPU backend (libggml-cpu-*.so, picked by CPU features) is never registered.
            NativeMethods.ggml_backend_load_all_from_path(directory);
            if (cudaLibraries && !HasGpu() && FindCudaFallback() is { } fallback)
            {
                logger.LogInformation("No device from the CUDA 13 backend; trying the CUDA 12 one at {Path}.", fallback);
                NativeMethods.ggml_backend_load(fallback);
            }

            NativeMethods.llama_backend_init();

            var devices = new List<string>();
            var hasGpu = false;
            var count = (int)NativeMethods.ggml_backend_dev_count();
            for (var i = 0; i < count; i++)
            {
                var device = NativeMethods.ggml_backend_dev_get((nuint)i);
                var type = NativeMethods.ggml_backend_dev_type(device);
                hasGpu |= type is GgmlBackendDeviceType.Gpu or GgmlBackendDeviceType.IntegratedGpu;
                devices.Add($"{Utf8Device(NativeMethods.ggml_backend_dev_name(device))} ({Utf8Device(NativeMethods.ggml_backend_dev_description(device)).Trim()})");
            }

            if (count == 0)
            {
                throw new LlamaException($"No ggml backend could be loaded from '{directory}' (no libggml-cpu-*.so usable on this CPU?). Run ./setup.");
            }

            LlamaBackendKind backend;
            if (hasGpu)
            {
                backend = LlamaBackendKind.Cuda;
            }
            else if (options.Backend == LlamaBackendKind.Cuda)
            {
                throw new LlamaException(
                    $"Llm:Backend is 'cuda' but no CUDA device appeared (libraries from '{directory}'). Check the NVIDIA driver (nvidia-smi), or set Llm:Backend to 'auto' or 'cpu'.");
            }
            else
            {
                backend = LlamaBackendKind.Cpu;
                if (cudaLibraries)
                {
                    logger.LogInformation("CUDA libraries are installed but no CUDA device appeared; running on the CPU.");
                }
            }

            _current = new LlamaRuntime(directory, backend, version, devices);
            logger.LogInformation("llama.cpp backend: {Backend}", _current.Description);
            return _current;
        }
    }

    /// <summary>
    /// Threads to use when Llm:Threads is 0: one less than the physical cores (from /proc/cpuinfo), at least 1, never more
    /// than the CPUs this process may use. ggml's threads spin on a barrier every layer, so when every core has a llama
    /// thread, any other busy thread (the JIT, the store, a second process) stalls them all: on a 2-core machine under load
    /// 2 threads were measured at a few tokens/s against hundreds with 1 (README, Local LLM).
    /// </summary>
    public static int DefaultThreadCount() => Math.Max(1, PhysicalCores() - 1);

    private static int PhysicalCores()
    {
        var logical = Environment.ProcessorCount;
        try
        {
            if (File.Exists("/proc/cpuinfo"))
            {
                var cores = new HashSet<(string, string)>();
                string physical = "0";
                foreach (var line in File.ReadLines("/proc/cpuinfo"))
                {
                    var colon = line.IndexOf(':');
                    if (colon < 0)
                    {
                        continue;
                    }

                    var key = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (key == "physical id")
                    {
                        physical = value;
                    }
                    else if (key == "core id")
                    {
                        cores.Add((physical, value));
                    }
                }

                if (cores.Count > 0)
                {
                    return Math.Clamp(cores.Count, 1, logical);
                }
            }
        }
        catch (IOException)
        {
            // fall through to the logical count
        }

        return Math.Max(1, logical);
    }

    private static (string Directory, bool Cuda) ChooseDirectory(LlamaOptions options, ILogger logger)
    {
        if (!string.IsNullOrWhiteSpace(options.NativePath))
        {
            var dir = Path.GetFullPath(options.NativePath);
            if (NativeLibraryResolver.FindLibrary(dir, NativeLibraries.Llama) is null)
            {
                throw new LlamaException(
                    $"Llm:NativePath '{dir}' has no libllama*.so (process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}).");
            }

            var isCuda = File.Exists(Path.Combine(dir, "libggml-cuda.so"));
            if (options.Backend == LlamaBackendKind.Cuda && !isCuda)
            {
                throw new LlamaException($"Llm:Backend is 'cuda' but Llm:NativePath '{dir}' has no libggml-cuda.so.");
            }

            return (dir, isCuda);
        }

        var root = NativeLibraryResolver.FindPackagesRoot();
        var cpuPackage = NativeLibraryResolver.PlatformPackage;
        if (root is null)
        {
            throw new LlamaException(
                $"The llama.cpp libraries were not found: no .deps/node_modules/@node-llama-cpp above '{AppContext.BaseDirectory}' "
                + $"(process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}). Run ./setup, or set Llm:NativePath.");
        }

        if (options.Backend != LlamaBackendKind.Cpu)
        {
            // node-llama-cpp's layout: the CUDA build (CUDA 13) in {platform}-cuda, and in {platform}-cuda-ext a CUDA 12
            // libggml-cuda.so under bins/*/fallback, loaded when the CUDA 13 backend finds no device.
            var cudaDir = NativeLibraryResolver.FindBinsDirectory(root, $"{cpuPackage}-cuda");
            if (cudaDir is null && options.Backend == LlamaBackendKind.Cuda)
            {
                throw new LlamaException($"Llm:Backend is 'cuda' but the CUDA build of llama.cpp is not installed under '{root}'. Run ./setup --cuda.");
            }

            if (cudaDir is not null)
            {
                if (NativeLibrary.TryLoad("libcuda.so.1", out _))
                {
                    return (cudaDir, true);
                }

                if (options.Backend == LlamaBackendKind.Cuda)
                {
                    throw new LlamaException("Llm:Backend is 'cuda' but no NVIDIA driver was found (libcuda.so.1 cannot be loaded). Check nvidia-smi, or set Llm:Backend to 'auto' or 'cpu'.");
                }

                logger.LogInformation("The CUDA build of llama.cpp is installed but there is no NVIDIA driver (libcuda.so.1); using the CPU build.");
            }
        }

        return (NativeLibraryResolver.FindBinsDirectory(root, cpuPackage)
            ?? throw new LlamaException(
                $"The CPU build of llama.cpp is not installed: no {cpuPackage}/bins/*/libllama*.so under '{root}' "
                + $"(process architecture {RuntimeInformation.ProcessArchitecture}; expected {NativeAbi.ExpectedPackage}). Run ./setup."), false);
    }

    private static bool HasGpu()
    {
        var count = (int)NativeMethods.ggml_backend_dev_count();
        for (var i = 0; i < count; i++)
        {
            if (NativeMethods.ggml_backend_dev_type(NativeMethods.ggml_backend_dev_get((nuint)i)) is GgmlBackendDeviceType.Gpu or GgmlBackendDeviceType.IntegratedGpu)
            {
                return true;
            }
        }

        return false;
    }

    private static string? FindCudaFallback()
    {
        var root = NativeLibraryResolver.FindPackagesRoot();
        var bins = root is null ? null : Path.Combine(root, $"{NativeLibraryResolver.PlatformPackage}-cuda-ext", "bins");
        return bins is not null && Directory.Exists(bins)
            ? Directory.EnumerateFiles(bins, "libggml-cuda.so", SearchOption.AllDirectories).FirstOrDefault()
            : null;
    }

    private static unsafe string Utf8(byte* text) => Marshal.PtrToStringUTF8((IntPtr)text) ?? string.Empty;

    private static unsafe string Utf8Device(byte* text) => text == null ? "?" : Utf8(text);
}
