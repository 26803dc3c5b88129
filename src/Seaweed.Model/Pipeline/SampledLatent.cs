using static TorchSharp.torch;

namespace Seaweed.Model.Pipeline;

/// <summary>
/// A denoised video before decoding: <see cref="Latent"/> is the VAE's latent (B, C, T, h, w) — the DiT latent ÷
/// vae.latentScale — which any exact decode (chunked here, or tiled across a cluster) turns into the same pixels.
/// Owns the latent. <see cref="Video"/> puts decoded pixels together with what sampling learnt about the prompt.
/// </summary>
public sealed class SampledLatent(Tensor latent, GenerationSettings settings, int givenFrames, IReadOnlyList<string> unknownWords, bool truncated,
    double textSeconds, double denoiseSeconds) : IDisposable
{
    public Tensor Latent { get; } = latent;
    public GenerationSettings Settings { get; } = settings;
    /// <summary>Leading pixel frames conditioned on (the image, or the tail of the continued video).</summary>
    public int GivenFrames { get; } = givenFrames;
    public IReadOnlyList<string> UnknownWords { get; } = unknownWords;
    public bool Truncated { get; } = truncated;
    public double TextSeconds { get; } = textSeconds;
    public double DenoiseSeconds { get; } = denoiseSeconds;

    /// <summary>The generated video from <paramref name="pixels"/> (1, 3, T, H, W) in [−1, 1], this latent decoded.</summary>
    public GeneratedVideo Video(Tensor pixels, double decodeSeconds)
    {
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.dim() != 5 || pixels.shape[3] != Settings.Height || pixels.shape[4] != Settings.Width)
            throw new ConfigException("video", $"expected (1, 3, T, {Settings.Height}, {Settings.Width}), got [{string.Join(",", pixels.shape)}]");
        return new GeneratedVideo(PixelBytes.ToRgb24(pixels), (int)pixels.shape[2], Settings.Height, Settings.Width, GivenFrames, UnknownWords, Truncated,
            new PipelineTimings(TextSeconds, DenoiseSeconds, decodeSeconds));
    }

    public void Dispose() => Latent.Dispose();
}
