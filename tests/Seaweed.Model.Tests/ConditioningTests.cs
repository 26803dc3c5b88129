using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class ConditioningTests
{
    [Theory]
    [InlineData(GenerationTask.TextToVideo, 0)]
    [InlineData(GenerationTask.ImageToVideo, 1)]
    [InlineData(GenerationTask.VideoToVideo, 2)]
    public void Condition_holds_exactly_the_given_latent_frames_and_the_mask_marks_them(GenerationTask task, int given)
    {
        manual_seed(1);
        var x0 = randn([2, 16, 5, 4, 4]);
        var (condition, mask) = Conditioning.ForTask(x0, task);
        Assert.Equal(x0.shape, condition.shape);
        Assert.Equal(new long[] { 2, 1, 5, 4, 4 }, mask.shape);
        TensorAssert.Close(x0[.., .., ..given], condition[.., .., ..given], 0);
        Assert.Equal(0f, condition[.., .., given..].abs().sum().item<float>());
        Assert.Equal(given * 2 * 16f, mask.sum().item<float>());
        Assert.Equal(0f, mask[.., .., given..].sum().item<float>());
    }

    [Fact]
    public void More_given_frames_than_generated_is_rejected()
    {
        var e = Assert.Throws<ConfigException>(() => Conditioning.FromGiven(zeros([1, 16, 3, 2, 2]), 2));
        Assert.Equal("condition.frames", e.Field);
    }
}
