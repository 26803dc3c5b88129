using static TorchSharp.torch;

namespace Seaweed.Model.Tests.Tiling;

/// <summary>
/// Both VAE variants (the presets' 48× and 64× compression), narrow enough for fast tests. Weights and latents come
/// from generators of their own: tests of other classes draw from the global one at the same time.
/// </summary>
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
        var vae = new CausalVae(config);
        using var generator = new Generator((ulong)seed);
        using (var scope = NewDisposeScope())
        using (var noGrad = no_grad())
            foreach (var p in vae.parameters())
            {
                // Matrices ~ U(±1/√fan-in) like the default init; vectors (biases, norm scales) near their defaults.
                var u = rand(p.shape, generator: generator) * 2 - 1;
                bool scale = p.dim() == 1 && (p == 1).all().item<bool>();
                p.copy_(p.dim() > 1 ? u / Math.Sqrt(p[0].numel()) : scale ? 1 + 0.1 * u : 0.1 * u);
            }
        vae.eval();
        return vae;
    }

    public static Tensor Latent(VaeConfig config, int frames, int height, int width, long seed = 9)
    {
        using var generator = new Generator((ulong)seed);
        return randn([1, config.LatentChannels, frames, height, width], generator: generator);
    }
}
