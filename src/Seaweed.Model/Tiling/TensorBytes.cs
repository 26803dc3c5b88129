using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>A CPU tensor's bytes cut into messages of at most a given size, and put back together.</summary>
public static class TensorBytes
{
    /// <summary>How many parts a tensor of <paramref name="bytes"/> bytes travels in: at least one, even when empty.</summary>
    public static int PartCount(long bytes, int maxMessageBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        return (int)Math.Max(1, (bytes + maxMessageBytes - 1) / maxMessageBytes);
    }

    /// <summary>Bytes per element of the types tiles exchange: activations (float32) and statistics (float64).</summary>
    public static int ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => 4,
        ScalarType.Float64 => 8,
        _ => throw new NotSupportedException($"tiles exchange float32 and float64 tensors, not {dtype}"),
    };

    public static byte[][] Split(Tensor tensor, int maxMessageBytes)
    {
        using var contiguous = tensor.detach().cpu().contiguous();
        ReadOnlySpan<byte> data = contiguous.bytes;
        var parts = new byte[PartCount(data.Length, maxMessageBytes)][];
        for (int i = 0; i < parts.Length; i++)
        {
            int start = i * maxMessageBytes;
            parts[i] = data.Slice(start, Math.Min(maxMessageBytes, data.Length - start)).ToArray();
        }
        return parts;
    }

    /// <summary>A new tensor of <paramref name="shape"/> and <paramref name="dtype"/> from parts; their total must be its size.</summary>
    public static Tensor Join(IReadOnlyList<byte[]> parts, long[] shape, ScalarType dtype)
    {
        var tensor = empty(shape, dtype);
        try
        {
            var data = tensor.bytes;
            long total = parts.Sum(p => (long)p.Length);
            if (total != data.Length)
                throw new ArgumentException($"{total} bytes do not make a {dtype} tensor of shape [{string.Join(",", shape)}] ({data.Length} bytes)", nameof(parts));
            int at = 0;
            foreach (var part in parts)
            {
                part.CopyTo(data[at..]);
                at += part.Length;
            }
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }
}
