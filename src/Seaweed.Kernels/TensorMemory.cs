using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>Raw access to a tensor's memory: the fused kernels read and write it in place.</summary>
internal static class TensorMemory
{
    // Returns tensor->data_ptr(), storage offset included (storage<T>().data_ptr() ignores the offset).
    [DllImport("LibTorchSharp")]
    private static extern IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The address of element 0; <paramref name="t"/> must stay alive and unchanged while it is used.</summary>
    public static unsafe float* Floats(Tensor t, string name)
    {
        Require(t, name);
        return (float*)THSTensor_data(t.Handle);
    }

    public static void RequireFloat32(Tensor t, string name)
    {
        if (t.dtype != ScalarType.Float32) throw new ArgumentException($"{name}: fused kernels take float32, got {t.dtype}", name);
    }

    public static void Require(Tensor t, string name)
    {
        RequireFloat32(t, name);
        if (!t.is_contiguous()) throw new ArgumentException($"{name}: fused kernels take contiguous tensors (call .contiguous())", name);
    }
}
