using Seaweed.Data;
using Seaweed.Data.World;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Eval.Reconstruction;

/// <summary>
/// Reconstruction quality over a set of clips: the mean of the clips' PSNR (dB) and of their SSIM; for world clips,
/// whose content is known, also the probe's accuracy on the reconstructions and on the originals (its ceiling), which
/// tells whether what a prompt asks for (colour, shape, motion) survives the VAE at all.
/// </summary>
public sealed record ReconstructionQuality(int Width, int Height, int Frames, int Clips, double Psnr, double Ssim, double WorstPsnr,
    ProbeAccuracy? Probe = null, ProbeAccuracy? ProbeCeiling = null);

/// <summary>
/// How well a VAE reconstructs clips it never trained on: held-out world clips (compositions the train split never
/// shows) are encoded to the posterior mean, decoded, quantised back to 8 bits and scored against the originals.
/// </summary>
public static class VaeEvaluation
{
    /// <summary>
    /// <paramref name="count"/> held-out clips of one size. The world's clip index is the only thing that varies,
    /// so every size shows the same compositions.
    /// </summary>
    public static IEnumerable<VideoFrames> HeldOutClips(long seed, int count, VideoSize size) => HeldOut(seed, count, size).Select(c => c.Render());

    /// <summary>The world clips of <see cref="HeldOutClips"/>, with their content.</summary>
    public static IEnumerable<WorldClip> HeldOut(long seed, int count, VideoSize size)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        var world = new WorldGenerator(new WorldOptions
        {
            Seed = seed, Split = WorldSplit.HeldOut, Sizes = [(size.Width, size.Height)], FrameCounts = [size.Frames],
        });
        return world.Clips(0, count);
    }

    /// <summary>Scores the reconstruction of every clip; all clips must have one size.</summary>
    public static ReconstructionQuality Evaluate(CausalVae vae, IEnumerable<VideoFrames> clips) =>
        Evaluate(vae, clips.Select(c => (c, (SceneContent?)null)));

    /// <summary>Scores the reconstruction of every world clip, the probe's accuracy on it included.</summary>
    public static ReconstructionQuality Evaluate(CausalVae vae, IEnumerable<WorldClip> clips) =>
        Evaluate(vae, clips.Select(c => (c.Render(), (SceneContent?)c.Content)));

    private static ReconstructionQuality Evaluate(CausalVae vae, IEnumerable<(VideoFrames Clip, SceneContent? Content)> clips)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(clips);
        var psnr = new List<double>();
        var ssim = new List<double>();
        var (probe, ceiling) = (ProbeAccuracy.Empty, ProbeAccuracy.Empty);
        VideoFrames? first = null;
        foreach (var (clip, content) in clips)
        {
            first ??= clip;
            var reconstruction = Reconstruct(vae, clip);
            psnr.Add(Psnr.Of(clip, reconstruction));
            ssim.Add(Ssim.Of(clip, reconstruction));
            if (content is null) continue;
            probe = probe.Add(Seaweed.Eval.Probe.Score(reconstruction, content));
            ceiling = ceiling.Add(Seaweed.Eval.Probe.Score(clip, content));
        }
        if (first is null) throw new ArgumentException("no clips to evaluate", nameof(clips));
        return new ReconstructionQuality(first.Width, first.Height, first.FrameCount, psnr.Count, psnr.Average(), ssim.Average(), psnr.Min(),
            probe.Clips == 0 ? null : probe, ceiling.Clips == 0 ? null : ceiling);
    }

    /// <summary>The clip through the VAE: encoded to its posterior mean, decoded, rounded to bytes.</summary>
    public static VideoFrames Reconstruct(CausalVae vae, VideoFrames clip)
    {
        ArgumentNullException.ThrowIfNull(vae);
        ArgumentNullException.ThrowIfNull(clip);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool wasTraining = vae.training;
        vae.eval();
        try
        {
            var video = tensor(clip.Data, [clip.FrameCount, clip.Height, clip.Width, 3]).permute(3, 0, 1, 2).unsqueeze(0).to(float32).div(127.5).sub(1);
            var decoded = vae.Decode(vae.Encode(video).Mean);
            var bytes = decoded[0].permute(1, 2, 3, 0).add(1).mul(127.5).round().clamp(0, 255).to(uint8).contiguous();
            return new VideoFrames(clip.Width, clip.Height, clip.FrameCount, clip.Fps, bytes.data<byte>().ToArray());
        }
        finally
        {
            vae.train(wasTraining);
        }
    }
}
