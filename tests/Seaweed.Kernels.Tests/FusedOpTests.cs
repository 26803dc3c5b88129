using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

public class FusedOpTests
{
    private const double Eps = 1e-6;

    public static TheoryData<string, int, int, int, int> QkCases()
    {
        var data = new TheoryData<string, int, int, int, int>();
        foreach (var backend in Backends.Names)
        {
            data.Add(backend, 1, 1, 1, 6);   // one token, one head, the smallest 3-axis head
            data.Add(backend, 3, 7, 5, 6);   // odd sizes
            data.Add(backend, 2, 5, 16, 8);  // many heads; hd 8 leaves an unrotated pair
            data.Add(backend, 2, 9, 3, 26);  // hd 26: a 512-bit, a 256-bit and a scalar stage per head
            data.Add(backend, 2, 33, 4, 64); // the tiny DiT's head size
            data.Add(backend, 3, 45, 4, 64); // past one thread's share: split over libtorch's threads
        }
        return data;
    }

    [Theory, MemberData(nameof(QkCases))]
    public void QkNormRopeMatchesComposed(string backend, int batch, int tokens, int heads, int headDim)
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var (cos, sin) = MMRope.Angles(MMRope.Positions(2, 1, 1, tokens - 2 > 0 ? tokens - 2 : 0, null).narrow(0, 0, tokens), headDim, 10000);
        // qkv as a view with padded rows: the fused op must see through the strides.
        var qkv = randn(batch, tokens, 3 * heads * headDim + 1)[.., .., ..(3 * heads * headDim)];
        Assert.True(batch * tokens == 1 || !qkv.is_contiguous()); // torch calls any single-row tensor contiguous
        var inputs = new[] { qkv, 1 + 0.1 * randn(headDim), 1 + 0.1 * randn(headDim), cos, sin };
        var b = Backends.Get(backend);
        Agreement.Check(inputs, [true, true, true, false, false],
            x => { var (q, k) = Fused.QkNormRope(b, x[0], x[1], x[2], x[3], x[4], heads, Eps); return [q, k]; },
            x => { var (q, k) = Composed.QkNormRope(x[0], x[1], x[2], x[3], x[4], heads, Eps); return [q, k]; });
    }

    public static TheoryData<string, int, int, int> RowCases()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (var backend in Backends.Names)
        {
            data.Add(backend, 1, 1, 5);
            data.Add(backend, 3, 7, 13);
            data.Add(backend, 2, 70, 256);
            data.Add(backend, 3, 97, 264); // split over libtorch's threads; 264 leaves a tail past the 512-bit lanes
        }
        return data;
    }

    /// <summary>Per-sample operands as the DiT makes them: one of the six (B, d) rows of (emb + offsets).unbind(1), non-contiguous.</summary>
    private static Tensor PerSample(int batch, int d, int which, double mean = 0) => (mean + randn(batch, 6, d)).unbind(1)[which];

    [Theory, MemberData(nameof(RowCases))]
    public void ModulateMatchesComposed(string backend, int batch, int tokens, int d)
    {
        using var scope = NewDisposeScope();
        manual_seed(2);
        var inputs = new[] { randn(batch, tokens, d), PerSample(batch, d, 1, mean: 1), PerSample(batch, d, 0) };
        Assert.True(batch == 1 || !inputs[1].is_contiguous());
        var b = Backends.Get(backend);
        Agreement.Check(inputs, [true, true, true],
            x => [Fused.Modulate(b, x[0], x[1], x[2], Eps)],
            x => [Composed.Modulate(x[0], x[1], x[2], Eps)]);
    }

    [Theory, MemberData(nameof(RowCases))]
    public void GatedResidualMatchesComposed(string backend, int batch, int tokens, int d)
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var inputs = new[] { randn(batch, tokens, d), PerSample(batch, d, 2), randn(batch, tokens, d + 3)[.., .., 3..] };
        var b = Backends.Get(backend);
        Agreement.Check(inputs, [true, true, true],
            x => [Fused.GatedResidual(b, x[0], x[1], x[2])],
            x => [Composed.GatedResidual(x[0], x[1], x[2])]);
    }

    [Theory, MemberData(nameof(RowCases))]
    public void SwiGluMatchesComposed(string backend, int batch, int tokens, int hidden)
    {
        using var scope = NewDisposeScope();
        manual_seed(4);
        var b = Backends.Get(backend);
        foreach (var gateUp in new[] { 3 * randn(batch, tokens, 2 * hidden), randn(batch, tokens, 2 * hidden + 1)[.., .., 1..] })
            Agreement.Check([gateUp], [true], x => [Fused.SwiGlu(b, x[0])], x => [Composed.SwiGlu(x[0])]);
    }

    [Fact]
    public void BadInputsAreRejectedNamingTheField()
    {
        using var scope = NewDisposeScope();
        var b = SimdBackend.Instance;
        var x = randn(2, 3, 8);
        Assert.Equal("x", Assert.ThrowsAny<ArgumentException>(() => Fused.Modulate(b, x.to(float64), ones(2, 8), zeros(2, 8), Eps)).ParamName);
        Assert.Equal("scale", Assert.ThrowsAny<ArgumentException>(() => Fused.Modulate(b, x, ones(3, 8), zeros(2, 8), Eps)).ParamName);
        Assert.Equal("f", Assert.ThrowsAny<ArgumentException>(() => Fused.GatedResidual(b, x, ones(2, 8), randn(2, 3, 4))).ParamName);
        Assert.Equal("gateUp", Assert.ThrowsAny<ArgumentException>(() => Fused.SwiGlu(b, randn(2, 3, 7))).ParamName);
        Assert.Equal("qkv", Assert.ThrowsAny<ArgumentException>(() =>
            Fused.QkNormRope(b, randn(2, 3, 40), ones(6), ones(6), ones(3, 3), ones(3, 3), heads: 2, Eps)).ParamName);
        Assert.Equal("cos", Assert.ThrowsAny<ArgumentException>(() =>
            Fused.QkNormRope(b, randn(2, 3, 36), ones(6), ones(6), ones(4, 3), ones(3, 3), heads: 2, Eps)).ParamName);
    }
}
