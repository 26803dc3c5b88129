using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class DitTests
{
    internal static DitInput Input(SeaweedConfig c, int batch, (int F, int H, int W) latent, long seed = 4)
    {
        manual_seed(seed);
        long ch = c.Vae.LatentChannels;
        int len = c.Text.MaxTokens;
        var mask = ones(batch, len, dtype: @bool);
        mask[.., (len - 2)..] = false; // padded tail
        return new DitInput(
            randn([batch, ch, latent.F, latent.H, latent.W]),
            zeros([batch, ch, latent.F, latent.H, latent.W]),
            zeros([batch, 1, latent.F, latent.H, latent.W]),
            rand(batch),
            randn(batch, len, c.Text.Hidden),
            mask);
    }

    /// <summary>A DiT whose zero-initialised output layers are perturbed, so every path affects the output.</summary>
    internal static HybridStreamDiT Randomised(SeaweedConfig c, long seed = 2)
    {
        manual_seed(seed);
        var dit = new HybridStreamDiT(c);
        using var _ = no_grad();
        foreach (var (name, p) in dit.named_parameters())
            if (name.Contains("modulation") || name.StartsWith("final_proj")) p.add_(randn_like(p) * 0.1);
        return dit;
    }

    [Theory]
    [InlineData("tiny", 5, 8, 8)]
    [InlineData("tiny", 1, 4, 6)]
    [InlineData("tiny-64x", 5, 4, 4)]
    public void Output_has_the_latent_shape(string preset, int f, int h, int w)
    {
        var c = Presets.Get(preset);
        using var dit = new HybridStreamDiT(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = Input(c, 2, (f, h, w));
        Assert.Equal(input.Latent.shape, dit.Forward(input).shape);
    }

    [Fact]
    public void Latent_not_divisible_by_the_patch_is_rejected()
    {
        var c = TinyConfigs.Small;
        using var dit = new HybridStreamDiT(c);
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ConfigException>(() => dit.Forward(Input(c, 1, (2, 3, 4))));
        Assert.Equal("latent", e.Field);
    }

    [Theory]
    [InlineData("latent channels", "latent")]
    [InlineData("latent rank", "latent")]
    [InlineData("condition frames", "condition")]
    [InlineData("condition mask channels", "conditionMask")]
    [InlineData("time per batch", "time")]
    [InlineData("time rank", "time")]
    [InlineData("text width", "text")]
    [InlineData("text batch", "text")]
    [InlineData("float text mask", "textMask")]
    [InlineData("text mask length", "textMask")]
    public void Inputs_that_do_not_fit_the_config_are_rejected_naming_the_field(string defect, string field)
    {
        var c = TinyConfigs.Small;
        using var dit = new HybridStreamDiT(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = Input(c, 2, (3, 4, 4));
        long ch = c.Vae.LatentChannels, len = c.Text.MaxTokens;
        var bad = defect switch
        {
            "latent channels" => input with { Latent = randn([2, ch + 1, 3, 4, 4]) },
            "latent rank" => input with { Latent = randn([2, ch, 3, 4]) },
            "condition frames" => input with { Condition = zeros([2, ch, 2, 4, 4]) },
            "condition mask channels" => input with { ConditionMask = zeros([2, ch, 3, 4, 4]) },
            "time per batch" => input with { Time = rand(3) },
            "time rank" => input with { Time = rand(2, 1) },
            "text width" => input with { Text = randn(2, len, c.Text.Hidden + 1) },
            "text batch" => input with { Text = randn(1, len, c.Text.Hidden) },
            "float text mask" => input with { TextMask = input.TextMask.to(float32) },
            "text mask length" => input with { TextMask = input.TextMask[.., 1..] },
            _ => throw new ArgumentException(defect),
        };
        var e = Assert.Throws<ConfigException>(() => dit.Forward(bad));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field + ":", e.Message);
        Assert.Same(input, input.Validate(c));
    }

    [Theory]
    [InlineData(8, 3)]
    [InlineData(8, 0)]
    [InlineData(8, 8)]
    [InlineData(4, 1)]
    public void Unique_parameter_count_matches_the_formula_so_shared_layers_really_share(int layers, int dual)
    {
        var c = Presets.Tiny with { Dit = Presets.Tiny.Dit with { Layers = layers, DualStreamLayers = dual } };
        using var dit = new HybridStreamDiT(c.Validate());
        Assert.Equal(HybridStreamDiT.ParameterCount(c), SeaweedModel.CountParameters(dit));
        Assert.Equal(layers - dual, dit.Blocks.Count(b => b.IsShared));
        // A dual-stream layer holds exactly twice the weights of a shared one.
        if (dual > 0 && dual < layers)
            Assert.Equal(2 * SeaweedModel.CountParameters(dit.Blocks[^1]), SeaweedModel.CountParameters(dit.Blocks[0]));
    }

    [Fact]
    public void Shared_layer_weights_get_gradient_from_both_text_and_video_tokens()
    {
        var c = TinyConfigs.Small;
        using var dit = Randomised(c);
        using var scope = NewDisposeScope();
        var input = Input(c, 1, (3, 4, 4));
        var text = input.Text.detach().requires_grad_();
        dit.Forward(input with { Text = text }).sum().backward();
        var sharedQkv = dit.named_parameters().Single(p => p.name == "blocks.2.shared.qkv.weight").parameter;
        Assert.True(sharedQkv.grad!.abs().sum().item<float>() > 0);
        Assert.True(text.grad!.abs().sum().item<float>() > 0, "text tokens must reach the output through joint attention");
    }

    [Fact]
    public void Window_attention_equals_full_attention_when_one_window_covers_everything()
    {
        manual_seed(6);
        var q = randn([2, 3, 4 + 24, 8]);
        var k = randn([2, 3, 28, 8]);
        var v = randn([2, 3, 28, 8]);
        var mask = ones(2, 4, dtype: @bool);
        mask[1, 3] = false;
        var one = WindowPartition.Create((2, 3, 4), [1, 1, 1]);
        TensorAssert.Close(JointAttention.Compute(q, k, v, mask, null), JointAttention.Compute(q, k, v, mask, one), 1e-5);

        // Whole model: on a 1×1×1 token grid every layer's partition is a single window.
        var full = TinyConfigs.Small;
        var windowed = full with { Dit = full.Dit with { Attention = "window" } };
        using var a = Randomised(full);
        using var b = Randomised(windowed);
        using var _ = no_grad();
        var input = Input(full, 2, (1, 2, 2));
        TensorAssert.Close(a.Forward(input), b.Forward(input), 1e-5);
    }

    [Fact]
    public void Window_attention_trains_gradients_reach_every_parameter()
    {
        var c = TinyConfigs.Small with { Dit = TinyConfigs.Small.Dit with { Attention = "window" } };
        using var dit = Randomised(c);
        using var scope = NewDisposeScope();
        var input = Input(c, 2, (5, 4, 4)); // unequal windows: 4 temporal windows over 5 frames
        dit.Forward(input).pow(2).mean().backward();
        foreach (var (name, p) in dit.named_parameters())
            Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0, name);
    }

    [Fact]
    public void Window_attention_keeps_video_tokens_inside_their_window()
    {
        manual_seed(8);
        var grid = (F: 4, H: 2, W: 2);
        var windows = WindowPartition.Create(grid, WindowPartition.CountsForLayer(1)); // 4×1×1: one frame per window
        Assert.Equal(4, windows.Windows.Length);
        int n = 4 + 16;
        var q = randn([1, 2, n, 8]);
        var k = randn([1, 2, n, 8]);
        var v = randn([1, 2, n, 8]);
        var mask = ones(1, 4, dtype: @bool);
        var before = JointAttention.Compute(q, k, v, mask, windows);
        var k2 = k.clone();
        var v2 = v.clone();
        k2[.., .., (4 + 12)..] = randn([1, 2, 4, 8]); // change the last frame's keys and values
        v2[.., .., (4 + 12)..] = randn([1, 2, 4, 8]);
        var after = JointAttention.Compute(q, k2, v2, mask, windows);
        TensorAssert.Close(before[.., .., 4..16], after[.., .., 4..16], 1e-6); // other frames' video tokens
        Assert.True(TensorAssert.MaxAbsDiff(before[.., .., 16..], after[.., .., 16..]) > 1e-3);
        Assert.True(TensorAssert.MaxAbsDiff(before[.., .., ..4], after[.., .., ..4]) > 1e-3); // text sees everything
    }

    [Fact]
    public void Unequal_windows_partition_every_token_exactly_once()
    {
        var w = WindowPartition.Create((5, 3, 7), [4, 2, 2]);
        Assert.Equal(16, w.Windows.Length);
        Assert.Equal(Enumerable.Range(0, 5 * 3 * 7), w.Windows.SelectMany(x => x).Order());
    }

    [Fact]
    public void MMRope_scores_depend_only_on_position_offsets()
    {
        manual_seed(10);
        int headDim = 24;
        var q = randn([1, 1, 6, headDim]);
        var k = randn([1, 1, 6, headDim]);
        var positions = MMRope.Positions(2, 1, 2, 2);
        Assert.Equal(new long[] { 0, 0, 0 }, positions[0].data<long>().ToArray());
        Assert.Equal(new long[] { 1, 1, 1 }, positions[1].data<long>().ToArray());
        Assert.Equal(new long[] { 2, 1, 0 }, positions[4].data<long>().ToArray()); // (L_text + f, h, w)

        Tensor Scores(Tensor pos)
        {
            var (cos, sin) = MMRope.Angles(pos, headDim, 10000);
            return MMRope.Apply(q, cos, sin).matmul(MMRope.Apply(k, cos, sin).transpose(-1, -2));
        }
        var baseScores = Scores(positions);
        TensorAssert.Close(baseScores, Scores(positions + tensor(new long[] { 7, -3, 5 })), 1e-4);
        Assert.True(TensorAssert.MaxAbsDiff(baseScores, Scores(positions * 2)) > 1e-2, "scores must depend on offsets");
        // Rotation keeps norms.
        var (c0, s0) = MMRope.Angles(positions, headDim, 10000);
        TensorAssert.Close(q.norm(), MMRope.Apply(q, c0, s0).norm(), 1e-4);
    }

    [Fact]
    public void Guidance_scale_one_is_the_conditional_prediction()
    {
        manual_seed(12);
        var cond = randn(2, 4);
        var uncond = randn(2, 4);
        TensorAssert.Close(cond, EulerSampler.Guide(cond, uncond, 1.0), 1e-6);
        TensorAssert.Close(uncond, EulerSampler.Guide(cond, uncond, 0.0), 1e-6);

        var c = TinyConfigs.Small;
        using var dit = Randomised(c);
        using var _ = no_grad();
        var input = Input(c, 1, (3, 4, 4));
        var empty = input with { Text = zeros_like(input.Text) };
        int unconditionalCalls = 0;
        Tensor Velocity(Tensor x, Tensor t, bool conditional)
        {
            if (!conditional) unconditionalCalls++;
            return dit.Forward((conditional ? input : empty) with { Latent = x, Time = t });
        }
        var noise = randn_like(input.Latent);
        var guided = EulerSampler.Sample(Velocity, noise, steps: 3, guidance: 1.0, shift: 2.0);
        Assert.Equal(0, unconditionalCalls);
        var conditionalOnly = EulerSampler.Sample((x, t, _) => Velocity(x, t, true), noise, steps: 3, guidance: 1.0, shift: 2.0);
        TensorAssert.Close(conditionalOnly, guided, 1e-6);
        var stronger = EulerSampler.Sample(Velocity, noise, steps: 3, guidance: 4.0, shift: 2.0);
        Assert.Equal(3, unconditionalCalls);
        Assert.True(TensorAssert.MaxAbsDiff(guided, stronger) > 1e-4);
    }

    [Fact]
    public void One_guided_step_is_noise_plus_the_time_step_times_the_guided_velocity()
    {
        var c = TinyConfigs.Small;
        using var dit = Randomised(c);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var input = Input(c, 2, (3, 4, 4));
        var empty = input with { Text = zeros_like(input.Text) };
        Tensor Velocity(Tensor x, Tensor t, bool conditional) =>
            dit.Forward((conditional ? input : empty) with { Latent = x, Time = t });
        manual_seed(13);
        var noise = randn_like(input.Latent);
        const double g = 4.0;
        var times = EulerSampler.Timesteps(1, 2.0);
        var t0 = full(2, times[0], dtype: float32);
        var vc = Velocity(noise, t0, true);
        var vu = Velocity(noise, t0, false);
        Assert.True(TensorAssert.MaxAbsDiff(vc, vu) > 1e-2, "the prompt must change the velocity for the test to mean anything");

        var sample = EulerSampler.Sample(Velocity, noise, steps: 1, guidance: g, shift: 2.0);
        var expected = noise + (times[1] - times[0]) * (vu + g * (vc - vu));
        TensorAssert.Close(expected, sample, 1e-5);
        var swapped = noise + (times[1] - times[0]) * (vc + g * (vu - vc));
        Assert.True(TensorAssert.MaxAbsDiff(swapped, sample) > 1e-2);
    }
}
