using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public sealed class WeightPrecisionTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("seaweed-precision-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void A_half_precision_model_is_half_the_size_and_loads_into_fp32_within_fp16_rounding()
    {
        var config = TinyConfigs.Small;
        var tokenizer = Tokenizer.Build(["a red circle moves left"], config.Text);
        using var model = SeededInit.Create(11, () => new SeaweedModel(config, tokenizer));
        string full = Path.Combine(dir, "fp32"), half = Path.Combine(dir, "fp16");
        model.Save(full);
        model.Save(half, precision: WeightPrecision.Float16);

        long fullBytes = new FileInfo(Path.Combine(full, SeaweedModel.WeightsFile)).Length;
        long halfBytes = new FileInfo(Path.Combine(half, SeaweedModel.WeightsFile)).Length;
        Assert.InRange(halfBytes, fullBytes * 0.45, fullBytes * 0.55);
        var stored = Safetensors.Load(Path.Combine(half, SeaweedModel.WeightsFile));
        Assert.All(stored.Values.Where(t => t.is_floating_point()), t => Assert.Equal(ScalarType.Float16, t.dtype));

        using var loaded = SeaweedModel.Load(half);
        var expected = model.state_dict();
        foreach (var (name, t) in loaded.state_dict())
        {
            Assert.Equal(expected[name].dtype, t.dtype);
            if (!t.is_floating_point()) continue;
            // fp16 keeps 11 significant bits: a relative error of at most 2^-11, plus fp16's subnormal step.
            var error = (t - expected[name]).abs() - expected[name].abs() * Math.Pow(2, -11) - 6e-8;
            Assert.True(error.max().item<float>() <= 0, $"{name} is off by more than fp16 rounding");
        }
    }

    [Fact]
    public void A_tensor_beyond_fp16s_range_stays_fp32_and_the_others_become_fp16()
    {
        using var big = tensor(new[] { 1f, 70000f });
        using var small = tensor(new[] { 1f, -65504f });
        Assert.Equal(ScalarType.Float32, WeightPrecision.Float16.Stored(big).dtype);
        Assert.Equal(ScalarType.Float16, WeightPrecision.Float16.Stored(small).dtype);
        Assert.Equal(ScalarType.Float32, WeightPrecision.Float32.Stored(small).dtype);
    }

    [Fact]
    public void Only_fp16_and_fp32_are_precisions_and_the_error_names_the_field()
    {
        Assert.Equal(WeightPrecision.Float16, WeightPrecisions.Parse("fp16", "--precision"));
        Assert.Equal(WeightPrecision.Float32, WeightPrecisions.Parse("fp32", "--precision"));
        var e = Assert.Throws<ConfigException>(() => WeightPrecisions.Parse("int8", "--precision"));
        Assert.Contains("--precision", e.Message);
    }
}
