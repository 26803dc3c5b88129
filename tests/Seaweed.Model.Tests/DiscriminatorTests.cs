using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class DiscriminatorTests
{
    [Fact]
    public void Spectral_norm_finds_the_largest_singular_value_of_a_small_matrix()
    {
        manual_seed(5);
        using var scope = NewDisposeScope();
        var weight = randn(6, 4);
        double svd = linalg.svdvals(weight)[0].item<float>();
        using var norm = new SpectralNorm(6, iterations: 50);
        norm.train();
        var normalised = norm.Normalise(weight);
        Assert.Equal(svd, norm.Sigma(weight), 4);
        // The normalised matrix has spectral norm 1 by the SVD, not only by the estimate.
        Assert.Equal(1.0, linalg.svdvals(normalised)[0].item<float>(), 4);
    }

    [Fact]
    public void One_power_iteration_per_step_converges_over_steps_and_eval_leaves_u_alone()
    {
        manual_seed(6);
        using var scope = NewDisposeScope();
        var weight = randn([8, 3, 4, 4]);
        double svd = linalg.svdvals(weight.reshape(8, -1))[0].item<float>();
        using var norm = new SpectralNorm(8);
        norm.train();
        double first = norm.Sigma(weight);
        for (int i = 0; i < 30; i++) norm.Normalise(weight);
        Assert.True(Math.Abs(first - svd) > 1e-3, $"a random u should start off: {first} against {svd}");
        Assert.Equal(svd, norm.Sigma(weight), 3);
        norm.eval();
        var u = norm.U.clone();
        norm.Normalise(weight * 3);
        Assert.Equal(0, TensorAssert.MaxAbsDiff(u, norm.U));
    }

    [Fact]
    public void The_power_iteration_vector_is_a_persistent_buffer_and_not_trained()
    {
        using var conv = new SpectralConv(3, 4, [4, 4], [2, 2], [1, 1], powerIterations: 1);
        var state = conv.state_dict();
        Assert.Contains("norm.u", state.Keys);
        Assert.Equal(new long[] { 4 }, state["norm.u"].shape);
        Assert.DoesNotContain(conv.named_parameters(), p => p.name.EndsWith(".u", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(32, 32, 6, 6)]
    [InlineData(64, 96, 14, 22)]
    public void Image_discriminator_gives_a_logit_per_patch(int height, int width, int patchesH, int patchesW)
    {
        manual_seed(7);
        using var d = PatchDiscriminator.Image([8, 16, 32]);
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 1, patchesH, patchesW }, d.call(randn([2, 3, height, width])).shape);
    }

    [Theory]
    [InlineData(17, 32, 32, 9)]
    [InlineData(9, 64, 64, 5)]
    [InlineData(1, 32, 32, 1)]
    public void Video_discriminator_halves_time_once_and_judges_patches(int frames, int height, int width, int patchFrames)
    {
        manual_seed(8);
        using var d = PatchDiscriminator.Video([8, 16, 32]);
        using var scope = NewDisposeScope();
        var logits = d.call(randn([1, 3, frames, height, width]));
        Assert.Equal(new long[] { 1, 1, patchFrames, height / 4 - 2, width / 4 - 2 }, logits.shape);
    }

    [Fact]
    public void Frames_of_a_video_are_its_images_in_order()
    {
        using var scope = NewDisposeScope();
        var video = arange(2 * 3 * 4 * 2 * 2).reshape(2, 3, 4, 2, 2).to(float32);
        var frames = PatchDiscriminator.Frames(video);
        Assert.Equal(new long[] { 8, 3, 2, 2 }, frames.shape);
        Assert.Equal(0, TensorAssert.MaxAbsDiff(video[1, .., 2], frames[6]));
    }

    [Fact]
    public void Wrong_input_ranks_name_the_input()
    {
        using var d = PatchDiscriminator.Image([8]);
        using var scope = NewDisposeScope();
        Assert.Equal("input", Assert.Throws<ConfigException>(() => d.call(randn([1, 3, 2, 32, 32]))).Field);
    }

    [Fact]
    public void Hinge_losses_follow_their_definitions()
    {
        using var scope = NewDisposeScope();
        var real = tensor(new[] { 2f, 0.5f, -1f });
        var fake = tensor(new[] { -2f, 0f, 1f });
        // relu(1 − real) = [0, 0.5, 2] → 5/6; relu(1 + fake) = [0, 1, 2] → 1.
        Assert.Equal(5.0 / 6 + 1, Hinge.Discriminator(real, fake).item<float>(), 5);
        Assert.Equal(1.0 / 3, Hinge.Generator(fake).item<float>(), 5);
    }
}
