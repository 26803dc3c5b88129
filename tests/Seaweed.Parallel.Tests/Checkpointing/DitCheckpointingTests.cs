using Seaweed.Model;
using Seaweed.Parallel.Checkpointing;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Checkpointing;

/// <summary>MLAC through the DiT's block seam: the whole model's flow-matching loss and every parameter gradient.</summary>
public class DitCheckpointingTests
{
    private static readonly SeaweedConfig Config = Make("window");

    private static SeaweedConfig Make(string attention) => new SeaweedConfig
    {
        Name = "mlac-test",
        Video = new VideoSize(9, 32, 32),
        Dit = new DitConfig { Hidden = 24, Layers = 3, DualStreamLayers = 1, Heads = 2, MlpMultiple = 8, TimestepFrequencyDim = 16, Attention = attention },
        Text = new TextEncoderConfig { MaxTokens = 4, Hidden = 16 },
    }.Validate();

    private static (float Loss, Tensor[] Grads) Step(HybridStreamDiT dit, ActivationCheckpointing? mlac)
    {
        var config = dit.Config;
        using var scope = NewDisposeScope();
        using var g = new Generator(5); // not the global generator: other test classes draw from it in parallel
        var grid = config.LatentGrid(config.Video);
        long[] latent = [2, config.Vae.LatentChannels, grid.Frames, grid.Height, grid.Width];
        var x0 = randn(latent, generator: g);
        var input = new DitInput(x0, zeros(latent), zeros([2, 1, grid.Frames, grid.Height, grid.Width]), rand(2, generator: g),
            randn([2, config.Text.MaxTokens, config.Text.Hidden], generator: g), tensor(new[] { true, true, true, false, true, true, false, false }).view(2, 4));
        dit.zero_grad();
        var loss = Objectives.Dit(dit, x0, randn(latent, generator: g), input.Time, input, mlac?.Execution());
        if (mlac is null) loss.backward();
        else mlac.Backward(loss);
        var grads = dit.parameters().Select(p => p.grad!.clone().MoveToOuterDisposeScope()).ToArray();
        return (loss.item<float>(), grads);
    }

    private static HybridStreamDiT Model(SeaweedConfig config)
    {
        manual_seed(3);
        var dit = new HybridStreamDiT(config);
        using (no_grad())
            foreach (var (name, p) in dit.named_parameters())
                if (name.StartsWith("time_modulation") || name.StartsWith("final_proj")) p.normal_(0, 0.1); // zero-initialised: no gradient would flow
        return dit;
    }

    [Theory]
    [InlineData(ActivationLevel.Recompute, ActivationLevel.Disk)]
    [InlineData(ActivationLevel.Host, ActivationLevel.Recompute)]
    [InlineData(ActivationLevel.Disk, ActivationLevel.Keep)]
    public void The_dit_trains_the_same_through_the_block_runner(ActivationLevel dual, ActivationLevel shared)
    {
        using var dit = Model(Config);
        var plain = Step(dit, null);
        using var mlac = new ActivationCheckpointing(new CheckpointPolicy { DualStream = dual, Shared = shared });
        CheckpointingTests.AssertSameStep(plain, Step(dit, mlac));
        int expected = (dual == ActivationLevel.Keep ? 0 : 1) + (shared == ActivationLevel.Keep ? 0 : 2);
        Assert.Equal(expected, mlac.Recomputes);
    }

    /// <summary>
    /// Attention calls per layer: full attention one; window attention one for the text queries plus one per window
    /// size, and the 3×2×2 latent grid splits into equal windows at every layer (1×2×2, and 4×1×1 clamped to 3 frames).
    /// </summary>
    [Theory]
    [InlineData("full", 3)]
    [InlineData("window", 3 * 2)]
    public void Recomputed_blocks_replay_attention_from_its_kept_output(string attention, int calls)
    {
        using var dit = Model(Make(attention));
        var plain = Step(dit, null);
        using var mlac = new ActivationCheckpointing(CheckpointPolicy.All(ActivationLevel.Recompute));
        CheckpointingTests.AssertSameStep(plain, Step(dit, mlac));
        Assert.Equal(3, mlac.Recomputes);
        Assert.Equal(calls, mlac.Attention.Replays);
        Assert.Equal(new ActivationBytes(0, 0, 0), mlac.Memory.Current);
    }
}
