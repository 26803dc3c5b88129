using static TorchSharp.torch;

namespace Seaweed.Model.Tests.Tiling;

/// <summary>Both VAE variants (the presets' 48× and 64× compression), narrow enough for fast tests, with fixed seeds.</summary>
internal static class TilingVaes
{
    public static readonly VaeConfig Vae48 = Presets.Tiny.Vae with { Channels = [8, 16, 16, 16], NormGroups = 4 };
    public static readonly VaeConfig Vae64 = Presets.Tiny64.Vae with { Channels = [8, 16, 16, 16, 16], NormGroups = 4 };

    public static VaeConfig Get(string variant) => variant switch
    {
        "48x" => Vae48,
        "64x" => Vae64,
        _ => throw new ArgumentOutOfRangeException(nameof(variant), variant, "48x or 64x"),
    };

    public static CausalVae Build(VaeConfig config, long seed = 3)
    {
        manual_seed(seed);
        var vae = new CausalVae(config);
        vae.eval();
        return vae;
    }

    public static Tensor Latent(VaeConfig config, int frames, int height, int width, long seed = 9)
    {
        manual_seed(seed);
        return randn([1, config.LatentChannels, frames, height, width]);
    }
}
