using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Collectives;

/// <summary>
/// The float32 memory of CPU tensors, read and written in place. A tensor that is already contiguous float32 on
/// the CPU is used as it is; one on another device or with strides is copied (and, for in-place collectives,
/// copied back). Other dtypes are refused: summing them as float would change their values.
/// </summary>
internal static class TensorMemory
{
    public static Span<float> Floats(Tensor t) => MemoryMarshal.Cast<byte, float>(t.bytes);

    /// <summary>A float32 CPU contiguous tensor with <paramref name="t"/>'s values: <paramref name="t"/> itself when it is one.</summary>
    public static Lease Open(Tensor t, string parameter)
    {
        ArgumentNullException.ThrowIfNull(t, parameter);
        if (t.dtype != ScalarType.Float32)
            throw new ArgumentException($"{parameter} must be float32, not {t.dtype}", parameter);
        if (t.numel() > int.MaxValue / sizeof(float))
            throw new ArgumentException($"{parameter} has {t.numel()} elements, over the 2 GiB a collective takes at once: split it", parameter);
        if (t.device_type == DeviceType.CPU && t.is_contiguous()) return new Lease(t, t);
        using var detached = t.detach();
        return new Lease(t, detached.cpu().contiguous());
    }

    /// <summary>A new 1-D float32 CPU tensor outside autograd.</summary>
    public static Tensor Vector(long length) => torch.empty(length, ScalarType.Float32, CPU);

    public static Span<float> Chunk(Span<float> data, int members, int index)
    {
        var (start, length) = Communicator.ShardRange(data.Length, members, index);
        return data.Slice((int)start, (int)length);
    }

    /// <summary>The working tensor of one collective, and the caller's tensor it stands for.</summary>
    public readonly struct Lease(Tensor original, Tensor work) : IDisposable
    {
        public Tensor Work => work;
        public Span<float> Floats => TensorMemory.Floats(work);

        /// <summary>Copies the result back when the work was done on a copy (another device, or strided).</summary>
        public void WriteBack()
        {
            if (ReferenceEquals(original, work)) return;
            using var _ = torch.no_grad();
            original.copy_(work);
        }

        public void Dispose()
        {
            if (!ReferenceEquals(original, work)) work.Dispose();
        }
    }
}
