using Seaweed.Model;

namespace Seaweed.Training.Vae;

/// <summary>
/// Weights of the VAE's reconstruction loss. The paper uses L1 + LPIPS; LPIPS needs a network pretrained on
/// ImageNet, which cannot be obtained here, so the perceptual term is SSIM (1 − SSIM over 11×11 Gaussian windows):
/// it compares local means, contrasts and correlations, so it punishes the blur and lost edges that L1 alone
/// tolerates, and it is one of the two figures the VAE is judged by.
/// </summary>
public sealed record VaeLossConfig
{
    public double L1 { get; init; } = 1.0;
    public double Ssim { get; init; } = 0.5;
    /// <summary>KL toward N(0, I): small, so the latent stays a usable space for the DiT without blurring reconstructions.</summary>
    public double Kl { get; init; } = 1e-6;

    internal void Validate(string path)
    {
        Require.InRange($"{path}.l1", L1, 0, double.MaxValue);
        Require.InRange($"{path}.ssim", Ssim, 0, double.MaxValue);
        Require.InRange($"{path}.kl", Kl, 0, double.MaxValue);
        if (L1 == 0 && Ssim == 0) throw new ConfigException(path, "l1 and ssim are both 0: nothing asks for a reconstruction");
    }
}

/// <summary>
/// The adversarial part (Seaweed §3.4): an image and a video PatchGAN, spectrally normalised, trained with the hinge
/// loss from step <see cref="Start"/> on (the reconstruction first learns without them, which keeps the GAN stable).
/// The generator term has the fixed weight <see cref="Weight"/>.
/// </summary>
public sealed record GanConfig
{
    public long Start { get; init; } = 1000;
    public double Weight { get; init; } = 0.1;
    public double Lr { get; init; } = 2e-4;
    public double[] Betas { get; init; } = [0.5, 0.9];
    public int[] Channels { get; init; } = [32, 64, 128];
    public int PowerIterations { get; init; } = 1;

    internal void Validate(string path)
    {
        Require.NotNegative($"{path}.start", Start);
        Require.InRange($"{path}.weight", Weight, 0, double.MaxValue);
        Require.PositiveFinite($"{path}.lr", Lr);
        if (Betas is null || Betas.Length != 2) throw new ConfigException($"{path}.betas", "must have two entries (β1, β2)");
        for (int i = 0; i < 2; i++) Require.InRange($"{path}.betas[{i}]", Betas[i], 0, 1, hiExclusive: true);
        if (Channels is not { Length: > 0 }) throw new ConfigException($"{path}.channels", "must list at least one width");
        for (int i = 0; i < Channels.Length; i++) Require.Positive($"{path}.channels[{i}]", Channels[i]);
        Require.Positive($"{path}.powerIterations", PowerIterations);
    }
}
