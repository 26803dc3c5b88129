namespace Seaweed.Kernels;

/// <summary>Which implementation of the DiT's memory-bound operators runs.</summary>
public enum KernelMode
{
    /// <summary>Composed TorchSharp ops: the numerics every fused kernel is tested against.</summary>
    Reference,
    /// <summary>Fused kernels; an input they cannot take (not float32, not on the CPU) is an error.</summary>
    Fused,
    /// <summary>
    /// Fused where <c>seaweed bench kernels</c> measures them faster: on float32 CPU tensors, every op but the gated
    /// residual; reference elsewhere.
    /// </summary>
    Auto,
}
