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
    public static bool Fuses(FusedOp op, bool training) => op switch
    {
        FusedOp.QkNormRope => true,
        FusedOp.Modulate => training,
        FusedOp.GatedResidual => false,
        FusedOp.SwiGlu => true,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
