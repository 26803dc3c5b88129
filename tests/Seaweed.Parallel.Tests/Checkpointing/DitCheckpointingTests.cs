using Seaweed.Model;
using Seaweed.Parallel.Checkpointing;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

/// <summary>MLAC through the DiT's block seam: the whole model's flow-matching loss and every parameter gradient.</summary>
public class DitCheckpointingTests
{
    private static readonly SeaweedConfig Config = new SeaweedConfig
    {
        Name = "mlac-test",
        Video = new VideoSize(9, 32, 32),
        Dit = new DitConfig { Hidden = 24, Layers = 3, DualStreamLayers = 1, Heads = 2, MlpMultiple = 8, TimestepFrequencyDim = 16, Attention = "window" },
        Text = new TextEncoderConfig { MaxTokens = 4, Hidden = 16 },
    }.Validate();

    private static (float Loss, Tensor[] Grads) Step(HybridStreamDiT dit, ActivationCheckpointing? mlac)
    {
        using var scope = NewDisposeScope();
        using var g = new Generator(5); // not the global generator: other test classes draw from it in parallel
        var grid = Config.LatentGrid(Config.Video);
        long[] latent = [2, Config.Vae.LatentChannels, grid.Frames, grid.Height, grid.Width];
        var x0 = randn(latent, generator: g);
        var input = new DitInput(x0, zeros(latent), zeros([2, 1, grid.Frames, grid.Height, grid.Width]), rand(2, generator: g),
            randn([2, Config.Text.MaxTokens, Config.Text.Hidden], generator: g), tensor(new[] { true, true, true, false, true, true, false, false }).view(2, 4));
        dit.zero_grad();
        var loss = Objectives.Dit(dit, x0, randn(latent, generator: g), input.Time, input, mlac is null ? null : new DitExecution(mlac.Runner));
        if (mlac is null) loss.backward();
        else mlac.Backward(loss);
        var grads = dit.parameters().Select(p => p.grad!.clone().MoveToOuterDisposeScope()).ToArray();
        return (loss.item<float>(), grads);
    }

    [Theory]
    [InlineData(ActivationLevel.Recompute, ActivationLevel.Disk)]
    [InlineData(ActivationLevel.Host, ActivationLevel.Recompute)]
    [InlineData(ActivationLevel.Disk, ActivationLevel.Keep)]
    public void The_dit_trains_the_same_through_the_block_runner(ActivationLevel dual, ActivationLevel shared)
    {
        manual_seed(3);
        using var dit = new HybridStreamDiT(Config);
        using (no_grad())
            foreach (var (name, p) in dit.named_parameters())
                if (name.StartsWith("time_modulation") || name.StartsWith("final_proj")) p.normal_(0, 0.1); // zero-initialised: no gradient would flow
        var plain = Step(dit, null);
        using var mlac = new ActivationCheckpointing(new CheckpointPolicy { DualStream = dual, Shared = shared });
        CheckpointingTests.AssertSameStep(plain, Step(dit, mlac));
        int expected = (dual == ActivationLevel.Keep ? 0 : 1) + (shared == ActivationLevel.Keep ? 0 : 2);
        Assert.Equal(expected, mlac.Recomputes);
    }
}
