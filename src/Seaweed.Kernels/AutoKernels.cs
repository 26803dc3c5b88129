namespace Seaweed.Kernels;

/// <summary>The memory-bound DiT operators the kernels fuse.</summary>
public enum FusedOp
{
    QkNormRope,
    Modulate,
    GatedResidual,
    SwiGlu,
}

/// <summary>
/// What <see cref="KernelMode.Auto"/> fuses, per operator and direction: a training call (autograd records it, so
/// the fused backward runs too) or an inference call (forward only). The table is fixed, not timed at run time, so
/// one seed gives one video in every process; <c>seaweed bench kernels</c> measures both directions of every
/// operator and reports where this table disagrees with the machine it runs on.
/// </summary>
public static class AutoKernels
{
    /// <remarks>
    /// Measured by <c>seaweed bench kernels</c> on the 2-core CPU this project trains on, quiet, at the tiny DiT's
    /// sizes, three runs (composed time ÷ fused, forward / forward + backward): QK-norm + RoPE 0.95–1.34× / 2.9–3.5×;
    /// SwiGLU 1.5–1.8× forward but 0.85–0.94× with its backward; the gated residual 0.49–0.59× / 0.52–0.75×;
    /// modulation 0.57–1.33× / 0.77–1.17×, no clear gain, so it stays composed. The losers are one or two native
    /// element-wise passes that libtorch spreads over both cores, while a fused call below a million elements keeps
    /// to one.
    /// </remarks>
    public static bool Fuses(FusedOp op, bool training) => op switch
    {
        FusedOp.QkNormRope => true,
        FusedOp.Modulate => false,
        FusedOp.GatedResidual => false,
        FusedOp.SwiGlu => !training,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
