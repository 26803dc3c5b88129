namespace Seaweed.Kernels;

/// <summary>Which implementation of the DiT's memory-bound operators runs.</summary>
public enum KernelMode
{
    /// <summary>Composed TorchSharp ops: the numerics every fused kernel is tested against.</summary>
    Reference,
    /// <summary>Fused kernels; an input they cannot take (not float32, not on the CPU) is an error.</summary>
    Fused,
    /// <summary>
    /// Fused where <c>seaweed bench kernels</c> measures them faster, per operator and direction
    /// (<see cref="AutoKernels"/>), on float32 CPU tensors; reference elsewhere.
    /// </summary>
    Auto,
}
