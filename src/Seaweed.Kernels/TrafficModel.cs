namespace Seaweed.Kernels;

/// <summary>Floats read plus written per element of an operator's main activation, one way of computing it.</summary>
public readonly record struct Traffic(double Forward, double Backward)
{
    public double BytesForward => Forward * sizeof(float);
    public double BytesBackward => Backward * sizeof(float);
}

/// <summary>
/// Memory-traffic model of the fused operators against their composed TorchSharp form. Every composed op reads its
/// operands and writes its result once (libtorch runs each as its own pass); a fused kernel reads its inputs and
/// writes its outputs once, a row's intermediates staying in registers or cache. Per-sample (B, d) operands,
/// weights and RoPE tables are small against the activations and not counted.
/// </summary>
public static class TrafficModel
{
    /// <summary>
    /// Per element of q and k. Composed forward: RMSNorm (pow 2, mean 1, x·r 2, ·w 2) + RoPE on halves (four
    /// products 4, sub and add 3, stack 2). Backward: the mirror of each op (products give two gradients, broadcasts
    /// a reduction) plus the QKV-gradient assembly: ≈ 34.5. Fused: read x, write y; backward read x and gy,
    /// write gx and the v slot's zeros (half an element per q/k element).
    /// </summary>
    public static Traffic QkNormRopeFused { get; } = new(2, 3.5);
    public static Traffic QkNormRopeComposed { get; } = new(15, 34.5);

    /// <summary>Per element of x. Composed: pow, mean, ·r, ·scale, +shift = 9; backward 20. Fused 2 and 3.</summary>
    public static Traffic ModulateFused { get; } = new(2, 3);
    public static Traffic ModulateComposed { get; } = new(9, 20);

    /// <summary>Per element of x. Composed: gate·f then x + ·: 5; backward g·gate, g·f and its sum: 6. Fused 3 and 3 (gx is gy itself).</summary>
    public static Traffic GatedResidualFused { get; } = new(3, 3);
    public static Traffic GatedResidualComposed { get; } = new(5, 6);

    /// <summary>Per element of the output. Composed: silu, ·b = 5; backward two products, silu', the chunk's cat = 13. Fused 3 and 5.</summary>
    public static Traffic SwiGluFused { get; } = new(3, 5);
    public static Traffic SwiGluComposed { get; } = new(5, 13);
}
