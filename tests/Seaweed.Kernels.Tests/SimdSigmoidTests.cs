namespace Seaweed.Kernels.Tests;

public class SimdSigmoidTests
{
    /// <summary>
    /// silu(a) · 1 against double precision over float's whole useful range, through the 512-bit stage's own
    /// exponential and the tail's: relative error where silu is a normal float, absolute 1e-35 beyond (σ below 1e-38).
    /// </summary>
    [Fact]
    public unsafe void SwiGluMatchesDoublePrecisionAcrossTheRange()
    {
        const int n = 20_003; // not a multiple of 16: a tail is left to TensorPrimitives
        var a = new float[n];
        for (int i = 0; i < n; i++) a[i] = -100f + 200f * i / (n - 1);
        var b = Enumerable.Repeat(1f, n).ToArray();
        var y = new float[n];
        fixed (float* pa = a, pb = b, py = y) SimdRows.SwiGlu(pa, pb, py, n);
        double worst = 0;
        for (int i = 0; i < n; i++)
        {
            double sigma = 1 / (1 + Math.Exp(-(double)a[i])), expected = a[i] * sigma;
            if (sigma < 1e-38) Assert.True(Math.Abs(y[i] - expected) < 1e-35, $"silu({a[i]}) = {y[i]}, expected {expected}");
            else if (expected != 0) worst = Math.Max(worst, Math.Abs(y[i] - expected) / Math.Abs(expected));
        }
        Assert.True(worst < 1e-6, $"worst relative error {worst}");
    }
}
