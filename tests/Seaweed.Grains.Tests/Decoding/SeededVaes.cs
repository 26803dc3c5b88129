using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Decoding;

/// <summary>
/// Both VAE variants (the presets' 48× and 64× compression), narrow enough for fast tests, their weights drawn from
/// a generator of their own: silos load them concurrently, so the global seed would not make them equal.
/// </summary>
internal static class SeededVaes
{
    public const string Vae48 = "48x", Vae64 = "64x";

    public static VaeConfig Config(string model) => model switch
    {
        Vae48 => Presets.Tiny.Vae with { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Vae64 => Presets.Tiny64.Vae with { Channels = [8, 16, 16, 16, 16], NormGroups = 4 },
        _ => throw new ConfigException("model", $"no model '{model}' on this silo"),
    };

    public static CausalVae Load(string model)
    {
        var vae = SeededInit.Unseeded(() => new CausalVae(Config(model)));
        using var generator = new Generator(17);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        foreach (var (name, p) in vae.named_parameters())
        {
            // Uniform in ±1/√fan-in, as default initialisation; norms keep their unit scale, a little perturbed.
            double bound = p.dim() > 1 ? 1 / Math.Sqrt(p.numel() / p.shape[0]) : 0.1;
            var draw = (rand(p.shape, generator: generator) * 2 - 1) * bound;
            if (name.EndsWith("norm1.weight") || name.EndsWith("norm2.weight") || name.EndsWith("_norm.weight")) p.copy_(draw + 1);
            else p.copy_(draw);
        }
        vae.eval();
        return vae;
    }

    public static Tensor Latent(string model, int frames, int height, int width)
    {
        using var generator = new Generator(23);
        return randn([1, Config(model).LatentChannels, frames, height, width], generator: generator);
    }
}
