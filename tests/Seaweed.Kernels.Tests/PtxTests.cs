namespace Seaweed.Kernels.Tests;

/// <summary>The CUDA path without a GPU: every ILGPU kernel must lower to PTX (the CPU accelerator accepts math PTX rejects).</summary>
public class PtxTests
{
    public static TheoryData<string> KernelNames => new(IlgpuPtx.Kernels.Select(k => k.Name));

    [Fact]
    public void EveryKernelIsListed() =>
        Assert.Equal(["ColumnSums", "GatedResidualBackward", "GatedResidualForward", "ModulateBackward", "ModulateForward",
            "QkNormRopeBackward", "QkNormRopeForward", "SwiGluBackward", "SwiGluForward"], IlgpuPtx.Kernels.Select(k => k.Name).Order());

    [Theory, MemberData(nameof(KernelNames))]
    public void CompilesToPtx(string name)
    {
        string ptx = IlgpuPtx.Compile(IlgpuPtx.Kernels.Single(k => k.Name == name));
        Assert.Contains(".target sm_", ptx);
        Assert.Contains($".entry Kernel_{name}(", ptx);
        // exp lowers to the hardware exp2, the one transcendental PTX has without libdevice.
        if (name.StartsWith("SwiGlu")) Assert.Contains("ex2.approx.f32", ptx);
    }
}
