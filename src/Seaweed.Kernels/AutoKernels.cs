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
    /// sizes, four runs (composed time ÷ fused, forward / forward + backward): QK-norm + RoPE 1.2–1.4× / 3.3×;
    /// modulation 0.9–2.6× / 2.3–2.5×; SwiGLU 1.2× / 1.5–1.6×; the gated residual 1.0–1.2× / 0.93–1.06×. The gated
    /// residual is one multiply-add whose composed form is two native passes, as fast from cache as the fused one;
    /// with its backward it gains nothing, so training keeps it composed.
    /// </remarks>
    public static bool Fuses(FusedOp op, bool training) => op switch
    {
        FusedOp.QkNormRope or FusedOp.Modulate or FusedOp.SwiGlu => true,
        FusedOp.GatedResidual => !training,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
