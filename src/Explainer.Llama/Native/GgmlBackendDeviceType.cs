namespace Explainer.Llama.Native;

/// <summary><c>enum ggml_backend_dev_type</c>.</summary>
internal enum GgmlBackendDeviceType
{
    Cpu = 0,
    Gpu = 1,
    IntegratedGpu = 2,
    Accelerator = 3,
    Meta = 4,
}
