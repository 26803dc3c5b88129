using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>Shape checks every backend runs before it addresses raw memory.</summary>
internal static class Shapes
{
    /// <summary>(rows, d, rows per sample) of x (B, L, d) against a per-sample (B, d) operand.</summary>
    public static (long Rows, long D, long PerSample) Rows(Tensor x, Tensor perSample, string xName, string name)
    {
        if (x.dim() != 3) throw new ArgumentException($"{xName}: expected (B, L, d), got [{string.Join(",", x.shape)}]", xName);
        if (!perSample.shape.SequenceEqual(new[] { x.shape[0], x.shape[2] }))
            throw new ArgumentException($"{name}: expected ({x.shape[0]}, {x.shape[2]}) per sample, got [{string.Join(",", perSample.shape)}]", name);
        return (x.shape[0] * x.shape[1], x.shape[2], Math.Max(1, x.shape[1]));
    }

    public static void SwiGlu(Tensor gateUp, Tensor half, string name)
    {
        if (gateUp.dim() != half.dim() || !gateUp.shape[..^1].SequenceEqual(half.shape[..^1]) || gateUp.shape[^1] != 2 * half.shape[^1])
            throw new ArgumentException($"{name}: expected gateUp's shape with half its last dimension, got [{string.Join(",", half.shape)}] for [{string.Join(",", gateUp.shape)}]", name);
    }
}
