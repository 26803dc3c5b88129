using Seaweed.Testing;

namespace Seaweed.Model.Tests;

/// <summary>The model the repository ships, which <c>seaweed generate</c> uses on a fresh clone.</summary>
public sealed class ShippedModelTests
{
    private const long MaxWeightBytes = 50_000_000;

    [Fact]
    public void The_shipped_model_loads_into_fp32_under_50_MB_and_every_weight_is_finite()
    {
        var directory = Path.Combine(Repository.Root(), "models", "seaweed-tiny");
        var weights = Path.Combine(directory, SeaweedModel.WeightsFile);
        Assert.InRange(new FileInfo(weights).Length, 1, MaxWeightBytes);
        using var model = SeaweedModel.Load(directory);
        Assert.Equal("tiny", model.Config.Name);
        foreach (var (name, t) in model.state_dict().Where(kv => kv.Value.is_floating_point()))
        {
            Assert.Equal(TorchSharp.torch.ScalarType.Float32, t.dtype);
            Assert.True(t.isfinite().all().item<bool>(), $"{name} has a non-finite weight");
        }
    }
}
