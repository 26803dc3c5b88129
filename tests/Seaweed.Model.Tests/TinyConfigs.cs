namespace Seaweed.Model.Tests;

/// <summary>Configurations small enough for fast tests; the architecture is the presets'.</summary>
internal static class TinyConfigs
{
    public static readonly SeaweedConfig Small = new SeaweedConfig
    {
        Name = "test-small",
        Video = new VideoSize(9, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 3, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 8, Hidden = 32, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();
}
