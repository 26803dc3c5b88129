using Seaweed.Data.World;
using Seaweed.Eval.Reconstruction;
using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Eval.Tests.Reconstruction;

public sealed class VaeEvaluationTests
{
    private static readonly VaeConfig Small = new() { Channels = [8, 16, 16, 16], NormGroups = 4 };

    [Fact]
    public void Held_out_clips_have_the_size_asked_for_and_only_held_out_compositions()
    {
        var clips = VaeEvaluation.HeldOutClips(3, 4, new VideoSize(5, 48, 64)).ToList();
        Assert.Equal(4, clips.Count);
        Assert.All(clips, c => Assert.Equal((64, 48, 5), (c.Width, c.Height, c.FrameCount)));
        var world = new WorldGenerator(new WorldOptions { Seed = 3, Split = WorldSplit.HeldOut, Sizes = [(64, 48)], FrameCounts = [5] });
        Assert.All(world.Clips(0, 4), c => Assert.True(HeldOut.Touches(c.Content)));
        Assert.Equal(world.Clip(2).Render().Data, clips[2].Data);
    }

    [Fact]
    public void Reconstruction_keeps_the_clip_size_and_scores_match_the_metrics()
    {
        manual_seed(4);
        using var vae = new CausalVae(Small);
        var clips = VaeEvaluation.HeldOutClips(5, 2, new VideoSize(5, 32, 32)).ToList();
        var quality = VaeEvaluation.Evaluate(vae, clips);
        var reconstructions = clips.Select(c => VaeEvaluation.Reconstruct(vae, c)).ToList();
        Assert.All(reconstructions, r => Assert.Equal((32, 32, 5), (r.Width, r.Height, r.FrameCount)));
        Assert.Equal((32, 32, 5, 2), (quality.Width, quality.Height, quality.Frames, quality.Clips));
        Assert.Equal(clips.Zip(reconstructions, Psnr.Of).Average(), quality.Psnr, 10);
        Assert.Equal(clips.Zip(reconstructions, Ssim.Of).Average(), quality.Ssim, 10);
        Assert.Equal(clips.Zip(reconstructions, Psnr.Of).Min(), quality.WorstPsnr, 10);
        // An untrained VAE is far from the clip.
        Assert.InRange(quality.Psnr, 0, 20);
        Assert.Null(quality.Probe);
    }

    [Fact]
    public void World_clips_are_also_probed_reconstructed_and_original()
    {
        manual_seed(4);
        using var vae = new CausalVae(Small);
        var world = VaeEvaluation.HeldOut(5, 2, new VideoSize(5, 32, 32)).ToList();
        var quality = VaeEvaluation.Evaluate(vae, world);
        Assert.Equal(VaeEvaluation.Evaluate(vae, world.Select(c => c.Render())).Psnr, quality.Psnr, 10);
        var reconstructions = world.Select(c => VaeEvaluation.Reconstruct(vae, c.Render())).ToList();
        Assert.Equal(ProbeAccuracy.Of(world.Zip(reconstructions, (c, r) => Probe.Score(r, c.Content))), quality.Probe);
        Assert.Equal(ProbeAccuracy.Of(world.Select(c => Probe.Score(c.Render(), c.Content))), quality.ProbeCeiling);
        Assert.Equal(world.Sum(c => c.Content.Objects.Count()), quality.Probe!.Objects);
    }
}
