using System.Reflection;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace Seaweed.Kernels;

/// <summary>Compiles the <see cref="IlgpuKernels"/> to PTX without a GPU: what a CUDA launch would load.</summary>
public static class IlgpuPtx
{
    /// <summary>Every kernel entry point (the public methods whose first parameter is the thread index).</summary>
    public static IReadOnlyList<MethodInfo> Kernels { get; } = typeof(IlgpuKernels)
        .GetMethods(BindingFlags.Public | BindingFlags.Static)
        .Where(m => m.GetParameters() is [{ ParameterType: var first }, ..] && first == typeof(Index1D))
        .ToArray();

    /// <summary>PTX assembly of one kernel for sm_90 (H100/H200) and PTX ISA 8.0.</summary>
    public static string Compile(MethodInfo kernel)
    {
        using var context = Context.Create(b => b.Optimize(OptimizationLevel.O1));
        using var backend = new PTXBackend(context, CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, nvvmAPI: null!); // no NVVM: ILGPU emits the PTX itself
        var compiled = backend.Compile(EntryPointDescription.FromImplicitlyGroupedKernel(kernel), KernelSpecialization.Empty);
        return ((PTXCompiledKernel)compiled).PTXAssembly;
    }
}
