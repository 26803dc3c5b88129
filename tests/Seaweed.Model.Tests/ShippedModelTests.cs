namespace Seaweed.Model.Tests;

/// <summary>The model the repository ships, which <c>seaweed generate</c> uses on a fresh clone.</summary>
public sealed class ShippedModelTests
{
    private const long MaxWeightBytes = 50_000_000;

    private static string ShippedDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Seaweed.Grains.sln"))) return Path.Combine(dir.FullName, "models", "seaweed-tiny");
        throw new InvalidOperationException($"Seaweed.Grains.sln not found above {AppContext.BaseDirectory}");
    }

    [Fact]
    public void The_shipped_model_loads_in_fp32_from_fp16_weights_under_50_MB_and_every_weight_is_finite()
    {
        var directory = ShippedDirectory();
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
