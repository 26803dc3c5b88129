using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

/// <summary>Builds modules on the meta device, which libtorch selects process-wide: runs alone.</summary>
[CollectionDefinition(nameof(MetaDevice), DisableParallelization = true)]
public sealed class MetaDevice;

[Collection(nameof(MetaDevice))]
public class ModelSizeTests
{
    [Fact]
    public void Seaweed7b_counted_on_the_meta_device_matches_the_formula_and_is_7b()
    {
        var counts = ModelSize.Count(Presets.Seaweed7B);
        Assert.Equal(HybridStreamDiT.ParameterCount(Presets.Seaweed7B), counts.Dit);
        Assert.Equal(TextEncoder.ParameterCount(Presets.Seaweed7B.Text), counts.Text);
        Assert.InRange(counts.Dit, 6_300_000_000L, 7_700_000_000L);
        Assert.Equal(TorchSharp.DeviceType.CPU, zeros(1).device_type); // the default device is restored
    }

    [Fact]
    public void Meta_counts_equal_allocated_counts_for_tiny()
    {
        var counts = ModelSize.Count(Presets.Tiny);
        using var vae = new CausalVae(Presets.Tiny.Vae);
        using var text = new TextEncoder(Presets.Tiny.Text);
        Assert.Equal(SeaweedModel.CountParameters(vae), counts.Vae);
        Assert.Equal(SeaweedModel.CountParameters(text), counts.Text);
    }
}
