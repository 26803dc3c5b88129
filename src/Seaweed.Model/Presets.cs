namespace Seaweed.Model;

/// <summary>Named model sizes.</summary>
public static class Presets
{
    /// <summary>Sized for a 2-core CPU: 17 frames × 64×64, 48× VAE + patch 1×2×2 → 5×4×4 = 80 video tokens.</summary>
    public static SeaweedConfig Tiny { get; } = new SeaweedConfig { Name = "tiny" }.Validate();

    /// <summary>The tiny model with the 64× VAE (spatial ×16, 48 channels) and patch 1×1×1: the same 80 tokens.</summary>
    public static SeaweedConfig Tiny64 { get; } = new SeaweedConfig
    {
        Name = "tiny-64x",
        Vae = new VaeConfig { SpatialDownsample = 16, LatentChannels = 48, Channels = [32, 64, 128, 128, 128] },
        Dit = new DitConfig { Patch = [1, 1, 1] },
    }.Validate();

    /// <summary>The paper's 7B hybrid-stream DiT: hidden 3584, 32 layers, ~1/3 dual-stream, 5 s of 720p at 24 fps.</summary>
    public static SeaweedConfig Seaweed7B { get; } = new SeaweedConfig
    {
        Name = "seaweed-7b",
        Video = new VideoSize(121, 720, 1280),
        Vae = new VaeConfig { Channels = [128, 256, 512, 512], ResBlocksPerLevel = 2, NormGroups = 32 },
        Dit = new DitConfig { Hidden = 3584, Layers = 32, DualStreamLayers = 11, Heads = 28, MlpMultiple = 256 },
        Text = new TextEncoderConfig { VocabSize = 32768, UnknownBuckets = 1024, MaxTokens = 256, Hidden = 1024, Layers = 12, Heads = 16, MlpMultiple = 256 },
        Flow = new FlowConfig { ShiftMinTokens = 256, ShiftMaxTokens = 111600, ShiftMax = 5.0, Guidance = 7.5, SamplingSteps = 50 },
    }.Validate();

    public static IReadOnlyDictionary<string, SeaweedConfig> All { get; } = new Dictionary<string, SeaweedConfig>
    {
        [Tiny.Name] = Tiny,
        [Tiny64.Name] = Tiny64,
        [Seaweed7B.Name] = Seaweed7B,
    };

    public static SeaweedConfig Get(string name) =>
        All.TryGetValue(name, out var config)
            ? config
            : throw new ConfigException("preset", $"'{name}' is not one of: {string.Join(", ", All.Keys)}");
}
