using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

/// <summary>A tiny DiT with 6 heads (cp = 2 and 3 divide them), one dual-stream and one shared layer, and one I2V sample.</summary>
internal static class UlyssesFixture
{
    public const int TextTokens = 12;
    public const int PaddedTextTokens = 3;

    public static SeaweedConfig Config(string attention) => new SeaweedConfig
    {
        Name = "test-ulysses",
        Video = new VideoSize(9, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4, LatentChannels = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 2, DualStreamLayers = 1, Heads = 6, MlpMultiple = 16, TimestepFrequencyDim = 32, Attention = attention },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = TextTokens, Hidden = 32, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();

    /// <summary>A DiT with every weight perturbed: the zero-initialised output and modulation layers would hide paths.</summary>
    public static HybridStreamDiT Model(SeaweedConfig config, long seed = 21)
    {
        manual_seed(seed);
        var dit = new HybridStreamDiT(config);
        using var _ = no_grad();
        foreach (var p in dit.parameters()) p.add_(randn_like(p) * 0.1);
        return dit;
    }

    /// <summary>An independent copy loaded from <paramref name="source"/>'s state dict, as each rank holds one.</summary>
    public static HybridStreamDiT CopyOf(HybridStreamDiT source)
    {
        var copy = new HybridStreamDiT(source.Config);
        copy.load_state_dict(source.state_dict());
        return copy;
    }

    /// <summary>Clean latent, noise, times and the image-to-video conditioning of a batch of two; text padded at the tail.</summary>
    public sealed record Sample(Tensor X0, Tensor Noise, Tensor Time, DitInput Conditioning)
    {
        public DitInput Input => Conditioning with { Latent = FlowMatching.Noised(X0, Noise, Time), Time = Time };
    }

    public static Sample MakeSample(SeaweedConfig config, int frames, long seed = 22)
    {
        manual_seed(seed);
        var x0 = randn([2, config.Vae.LatentChannels, frames, 4, 4]);
        var noise = randn_like(x0);
        var time = rand(2);
        var (condition, mask) = Conditioning.ForTask(x0, GenerationTask.ImageToVideo);
        var textMask = ones(2, TextTokens, dtype: @bool);
        textMask[.., (TextTokens - PaddedTextTokens)..] = false;
        var text = randn(2, TextTokens, config.Text.Hidden);
        return new Sample(x0, noise, time, new DitInput(x0, condition, mask, time, text, textMask));
    }

    /// <summary>max |a − b| ÷ max |b|.</summary>
    public static double RelativeError(Tensor actual, Tensor expected)
    {
        Assert.Equal(expected.shape, actual.shape);
        double scale = expected.abs().max().item<float>();
        Assert.True(scale > 0, "the expected tensor must not be all zeros for the comparison to mean anything");
        return (actual - expected).abs().max().item<float>() / scale;
    }
}
