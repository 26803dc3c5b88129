using Seaweed.Data.World;
using Seaweed.Model;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Vae;

/// <summary>
/// The trained model as a directory <c>SeaweedModel.Load</c> and <c>seaweed train</c> take: the VAE's weights, the
/// DiT and text encoder as initialised, and <c>vae.latentScale</c> set so that the DiT's latents have unit variance.
/// </summary>
public static class VaeExport
{
    public const string ModelFolder = "model";

    /// <summary>Clips the latent scale is measured on.</summary>
    public const int ScaleClips = 8;

    public static string ModelDirectory(string output) => Path.Combine(output, ModelFolder);

    /// <summary>
    /// 1 / the standard deviation of the posterior means of <paramref name="videos"/>, to 4 significant digits (the
    /// paper's SeedVR VAE ships 0.9152 for the same purpose).
    /// </summary>
    public static double LatentScale(CausalVae vae, IEnumerable<Tensor> videos)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = vae.training;
        vae.eval();
        try
        {
            var means = videos.Select(v => vae.Encode(v).Mean.reshape(-1)).ToList();
            if (means.Count == 0) throw new ArgumentException("no clips to measure the latent scale on", nameof(videos));
            double std = cat(means, 0).to(float64).std().item<double>();
            if (!(std > 0) || !double.IsFinite(std)) throw new InvalidOperationException($"the latents' standard deviation is {std}");
            double scale = 1 / std;
            double unit = Math.Pow(10, Math.Floor(Math.Log10(scale)) - 3);
            return Math.Round(scale / unit) * unit;
        }
        finally
        {
            vae.train(wasTraining);
        }
    }

    /// <summary>Clips of the model's native video size from the world's train split, for <see cref="LatentScale"/>.</summary>
    public static IEnumerable<Tensor> NativeClips(SeaweedConfig model, long seed, int count)
    {
        var world = new WorldGenerator(new WorldOptions
        {
            Seed = Draws.Stream(seed, "vae-latent-scale"), Sizes = [(model.Video.Width, model.Video.Height)],
            StillFraction = 0, FrameCounts = [Math.Max(2, model.Video.Frames)],
        });
        return world.Clips(0, count).Select(c => PixelTensor.FromFrames(c.Render()));
    }

    /// <summary>Writes <paramref name="model"/> with its measured latent scale to <c>{output}/model</c>, replacing an earlier export.</summary>
    public static (string Directory, double LatentScale) Write(SeaweedModel model, string output, long seed)
    {
        double scale;
        using (var scope = NewDisposeScope())
            scale = LatentScale(model.Vae, NativeClips(model.Config, seed, ScaleClips));
        var config = model.Config with { Vae = model.Config.Vae with { LatentScale = scale } };
        using var exported = SeededInit.Unseeded(() => new SeaweedModel(config, model.Tokenizer));
        using (no_grad())
        {
            var source = model.state_dict();
            foreach (var (name, target) in exported.state_dict()) target.copy_(source[name]);
        }
        string directory = ModelDirectory(output);
        exported.Save(directory, overwrite: true);
        return (directory, scale);
    }
}
