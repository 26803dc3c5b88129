using Seaweed.Training.Vae;
using static TorchSharp.torch;

namespace Seaweed.Training.Tests.Vae;

public sealed class StructuralSimilarityTests
{
    [Fact]
    public void Identical_frames_score_one_and_flat_frames_their_luminance_term()
    {
        using var scope = NewDisposeScope();
        var x = rand([2, 3, 16, 20], generator: new Generator(1)) * 2 - 1;
        Assert.Equal(1.0, StructuralSimilarity.Mean(x, x.clone()).item<float>(), 5);
        var a = full([1, 3, 12, 12], 0.2f);
        var b = full([1, 3, 12, 12], -0.1f);
        double c1 = 0.02 * 0.02;
        Assert.Equal((2 * 0.2 * -0.1 + c1) / (0.04 + 0.01 + c1), StructuralSimilarity.Mean(a, b).item<float>(), 4);
    }

    [Fact]
    public void It_falls_with_noise_and_passes_a_gradient()
    {
        using var scope = NewDisposeScope();
        var random = new Generator(2);
        var x = rand([1, 3, 24, 24], generator: random) * 2 - 1;
        var noise = randn([1, 3, 24, 24], generator: random);
        double little = StructuralSimilarity.Mean(x, x + 0.05 * noise).item<float>();
        double more = StructuralSimilarity.Mean(x, x + 0.3 * noise).item<float>();
        Assert.True(1 > little && little > more, $"1 > {little} > {more}");
        var y = (x + 0.3 * noise).detach().requires_grad_(true);
        StructuralSimilarity.Mean(x, y).backward();
        Assert.True(y.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void Frames_smaller_than_the_window_are_refused() =>
        Assert.Equal("x", Assert.Throws<ArgumentException>(() => StructuralSimilarity.Mean(zeros([1, 3, 10, 32]), zeros([1, 3, 10, 32]))).ParamName);
}
