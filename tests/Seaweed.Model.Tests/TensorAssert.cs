using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

internal static class TensorAssert
{
    public static double MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.shape, b.shape);
        if (a.numel() == 0) return 0;
        using var d = (a - b).abs().max();
        return d.to(float64).item<double>();
    }

    public static void Close(Tensor expected, Tensor actual, double tolerance)
    {
        double diff = MaxAbsDiff(expected, actual);
        Assert.True(diff <= tolerance, $"max |diff| = {diff:E3} > {tolerance:E1}");
    }
}
