using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

/// <summary>
/// <c>auto</c> takes, per operator and direction, exactly the fused or exactly the composed form that
/// <see cref="AutoKernels"/> names: its outputs are bit-equal to that form's (the two forms differ in the last bits,
/// which the test checks first so that it can tell them apart).
/// </summary>
public class AutoKernelsTests
{
    private const int Heads = 2;
    private const int HeadDim = 12, Hidden = Heads * HeadDim;

    public static TheoryData<FusedOp, bool> Cases()
    {
        var cases = new TheoryData<FusedOp, bool>();
        foreach (var op in Enum.GetValues<FusedOp>())
        {
            cases.Add(op, true);
            cases.Add(op, false);
        }
        return cases;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Auto_runs_the_form_its_table_names(FusedOp op, bool training)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(21);
        Tensor Input(params long[] shape) => randn(shape, generator: generator).requires_grad_(training);
        var (x, f, scale, shift) = (Input(2, 7, Hidden), Input(2, 7, Hidden), Input(2, Hidden), Input(2, Hidden));
        var (qkv, gateUp) = (Input(2, 7, 3 * Hidden), Input(2, 7, 2 * 40));
        var norm = new RMSNorm(Hidden, 1e-6, affine: false);
        var (qNorm, kNorm) = (new RMSNorm(HeadDim, 1e-6), new RMSNorm(HeadDim, 1e-6));
        var (cos, sin) = MMRope.Angles(arange(7, dtype: int64).unsqueeze(1).expand(7, 3), HeadDim, 10000);
        Tensor[] Run(DitOps ops) => op switch
        {
            FusedOp.QkNormRope => ops.QkNormRope(qkv, qNorm, kNorm, cos, sin, Heads) is var (q, k) ? [q, k] : [],
            FusedOp.Modulate => [ops.Modulate(x, norm, scale, shift)],
            FusedOp.GatedResidual => [ops.GatedResidual(x, scale, f)],
            _ => [ops.SwiGlu(gateUp)],
        };
        float[] Flat(DitOps ops) => Run(ops).SelectMany(t => t.detach().contiguous().data<float>().ToArray()).ToArray();

        var (fused, composed) = (Flat(DitOps.For(KernelMode.Fused, x)), Flat(DitOps.Reference));
        Assert.NotEqual(fused, composed);
        Assert.Equal(AutoKernels.Fuses(op, training) ? fused : composed, Flat(DitOps.For(KernelMode.Auto, x)));
    }
}
