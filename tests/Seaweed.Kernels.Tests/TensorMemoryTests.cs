using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

public class TensorMemoryTests
{
    /// <summary>THSTensor_data is an internal libtorch export: pin that it includes the storage offset.</summary>
    [Fact]
    public unsafe void PointerOfASliceStartsAtItsFirstElement()
    {
        using var t = arange(10, dtype: float32);
        using var slice = t[3..];
        Assert.Equal(3f, *TensorMemory.Floats(slice, "slice"));
        Assert.Equal((nint)TensorMemory.Floats(t, "t") + 3 * sizeof(float), (nint)TensorMemory.Floats(slice, "slice"));
    }

    [Fact]
    public void StridedOrOtherTypedMemoryIsRefused()
    {
        using var t = ones(3, 4);
        Assert.Contains("contiguous", Assert.Throws<ArgumentException>(() => TensorMemory.Require(t.t(), "x")).Message);
        Assert.Contains("float32", Assert.Throws<ArgumentException>(() => TensorMemory.Require(t.to(float64), "x")).Message);
    }
}
