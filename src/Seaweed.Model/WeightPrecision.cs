using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// How a model directory stores its float weights. Half precision halves the file; weights are upcast to the
/// model's fp32 on load. fp16 rather than bf16: tiny-model weights sit far inside fp16's range, where its 10-bit
/// mantissa keeps 8× the precision of bf16's 7 bits. Training checkpoints are always fp32, so resume stays exact.
/// </summary>
public enum WeightPrecision
{
    Float32,
    Float16,
}

public static class WeightPrecisions
{
    /// <summary>The largest finite fp16 value: a tensor with a weight beyond it is stored in fp32 instead.</summary>
    public const float Float16Max = 65504f;

    public static string Name(this WeightPrecision precision) => precision == WeightPrecision.Float16 ? "fp16" : "fp32";

    /// <summary>Parses <c>fp16</c> or <c>fp32</c>; anything else is a <see cref="ConfigException"/> naming <paramref name="field"/>.</summary>
    public static WeightPrecision Parse(string value, string field) => value switch
    {
        "fp16" => WeightPrecision.Float16,
        "fp32" => WeightPrecision.Float32,
        _ => throw new ConfigException(field, $"'{value}' is not a weight precision (fp16 or fp32)"),
    };

    /// <summary>The tensor as stored at <paramref name="precision"/>: fp32 tensors become fp16 when every value fits.</summary>
    public static Tensor Stored(this WeightPrecision precision, Tensor t) =>
        precision == WeightPrecision.Float16 && t.dtype == ScalarType.Float32 && (t.numel() == 0 || t.abs().max().item<float>() <= Float16Max)
            ? t.to(ScalarType.Float16) : t;
}
