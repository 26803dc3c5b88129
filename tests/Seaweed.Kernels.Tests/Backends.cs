namespace Seaweed.Kernels.Tests;

/// <summary>Every backend the fused-op tests run on; the ILGPU one runs its kernels on ILGPU's CPU accelerator.</summary>
public static class Backends
{
    public static TheoryData<string> Names => new() { "simd", "ilgpu-cpu" };

    private static readonly Lazy<IlgpuBackend> Ilgpu = new(IlgpuBackend.CreateCpu);

    public static IFusedBackend Get(string name) => name switch
    {
        "simd" => SimdBackend.Instance,
        "ilgpu-cpu" => Ilgpu.Value,
        _ => throw new ArgumentException($"unknown backend '{name}'", nameof(name)),
    };
}
