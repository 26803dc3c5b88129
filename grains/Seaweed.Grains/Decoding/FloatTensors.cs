using Seaweed.Model.Tiling;
using static TorchSharp.torch;

namespace Seaweed.Grains.Decoding;

/// <summary>Tensors to and from <see cref="FloatTensor"/>, checked against their shape.</summary>
public static class FloatTensors
{
    public static FloatTensor From(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        if (tensor.dtype != ScalarType.Float32) throw new ArgumentException($"a {tensor.dtype} tensor is not float32", nameof(tensor));
        using var contiguous = tensor.detach().cpu().contiguous();
        return new FloatTensor(tensor.shape, contiguous.bytes.ToArray());
    }

    /// <summary>A new tensor; a shape that does not match the bytes → ArgumentException naming <paramref name="field"/>.</summary>
    public static Tensor ToTensor(FloatTensor value, string field)
    {
        Check(value, field);
        return TensorBytes.Join([value.Data], value.Shape, ScalarType.Float32);
    }

    public static void Check(FloatTensor? value, string field)
    {
        if (value?.Shape is null || value.Data is null) throw new ArgumentException($"{field}: is missing", field);
        if (value.Shape.Any(d => d < 0)) throw new ArgumentException($"{field}: shape [{string.Join(",", value.Shape)}] has a negative size", field);
        long bytes = value.Shape.Aggregate(1L, (a, b) => checked(a * b)) * sizeof(float);
        if (bytes != value.Data.Length)
            throw new ArgumentException($"{field}: shape [{string.Join(",", value.Shape)}] needs {bytes} bytes of float32, got {value.Data.Length}", field);
    }
}
