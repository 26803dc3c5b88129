using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class FlowMatchingTests
{
    [Fact]
    public void Interpolation_hits_data_at_zero_and_noise_at_one_and_the_target_is_its_derivative()
    {
        manual_seed(1);
        var x0 = randn(3, 2, 4);
        var eps = randn(3, 2, 4);
        var t = tensor(new[] { 0f, 1f, 0.25f });
        var xt = FlowMatching.Noised(x0, eps, t);
        TensorAssert.Close(x0[0], xt[0], 1e-6);
        TensorAssert.Close(eps[1], xt[1], 1e-6);
        var dt = 1e-2f;
        var ahead = FlowMatching.Noised(x0, eps, t + dt);
        TensorAssert.Close(FlowMatching.Velocity(x0, eps), (ahead - xt) / dt, 1e-3);
    }

    [Fact]
    public void Shift_grows_with_tokens_and_pushes_times_toward_noise()
    {
        var c = Presets.Tiny.Flow;
        Assert.Equal(c.ShiftMin, FlowMatching.Shift(c, 1));
        Assert.Equal(c.ShiftMax, FlowMatching.Shift(c, 10_000));
        Assert.True(FlowMatching.Shift(c, 48) is > 1.0 and < 3.0);
        Assert.Equal(0.75, FlowMatching.Shifted(0.5, 3.0), 12);
        var steps = EulerSampler.Timesteps(4, 3.0);
        Assert.Equal(1.0, steps[0], 12);
        Assert.Equal(0.0, steps[^1], 12);
        Assert.True(steps.Zip(steps.Skip(1)).All(p => p.First > p.Second));
    }

    [Fact]
    public void Logit_normal_times_are_in_the_open_unit_interval_and_centred_by_the_shift()
    {
        var c = Presets.Tiny.Flow;
        var g = new Generator(3);
        var t = FlowMatching.SampleTime(20_000, c, 1.0, g);
        Assert.True(t.min().item<float>() > 0 && t.max().item<float>() < 1);
        Assert.InRange(t.median().item<float>(), 0.48f, 0.52f);
        var shifted = FlowMatching.SampleTime(20_000, c, 3.0, new Generator(3));
        Assert.InRange(shifted.median().item<float>(), 0.73f, 0.77f);
    }

    [Fact]
    public void Euler_sampler_integrates_an_exact_flow_to_its_data_point()
    {
        // For a single data point x0 the true velocity is (x_t − x0)/t; Euler follows the straight line exactly.
        manual_seed(2);
        var x0 = randn(1, 3);
        var noise = randn(1, 3);
        var sample = EulerSampler.Sample((x, t, _) => (x - x0) / t.view(-1, 1), noise, steps: 5, guidance: 1, shift: 3);
        TensorAssert.Close(x0, sample, 1e-5);
        Assert.Throws<ConfigException>(() => EulerSampler.Sample((x, _, _) => x, noise, 0, 1, 1));
        Assert.Throws<ConfigException>(() => EulerSampler.Sample((x, _, _) => x, noise, 2, double.NaN, 1));
    }

    [Fact]
    public void Sampling_keeps_no_autograd_graph_even_for_a_model_with_trainable_weights()
    {
        manual_seed(3);
        var weight = randn(1, 3).requires_grad_();
        var noise = randn(2, 3);
        var sample = EulerSampler.Sample((x, _, conditional) => x * weight * (conditional ? 1 : 0.5), noise, steps: 3, guidance: 2, shift: 1);
        Assert.False(sample.requires_grad);
        Assert.True(is_grad_enabled(), "the caller's grad mode is restored");
    }
}
