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
    /// sizes, three runs (composed time ÷ fused, forward / forward + backward): QK-norm + RoPE 5.3–7.2× / 3.0–3.4×;
    /// modulation 2.9–3.2× / 2.7–2.9×; SwiGLU 1.2× / 1.5–1.6×; the gated residual 1.0–1.3× / 1.07–1.13×. The gated
    /// residual is one multiply-add whose composed form is two native passes, nearly as fast from cache as the fused
    /// one, yet never slower: every operator is fused both ways.
    /// </remarks>
    public static bool Fuses(FusedOp op, bool training) => op switch
    {
        FusedOp.QkNormRope or FusedOp.Modulate or FusedOp.SwiGlu or FusedOp.GatedResidual => true,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
