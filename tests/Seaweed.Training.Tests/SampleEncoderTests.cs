using Seaweed.Data;
using Seaweed.Model;
using Seaweed.Training.Planning;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Tests;

[Collection(TorchGlobalRng.Name)]
public class SampleEncoderTests
{
    private static SeaweedModel NewModel() =>
        SeededInit.Create(11, () => new SeaweedModel(TestRuns.Model, Tokenizer.Build(["a red circle moves left"], TestRuns.Model.Text)));

    private static PreparedSample Sample(GenerationTask task, bool dropText, int index = 0)
    {
        var clip = new SourceClip(Modality.Video, 0, 32, 32, 9, "a red circle moves left", "red circle");
        var plan = new PlannedSample(index, clip, 32, 32, 9, 0, task, dropText, false, 12, 8, 1);
        var pixels = new VideoFrames(32, 32, 9, 8);
        new Random(3).NextBytes(pixels.Data);
        return new PreparedSample(plan, pixels);
    }

    [Fact]
    public void Pixels_map_to_minus_one_one_in_channel_time_height_width_order()
    {
        var frames = new VideoFrames(3, 2, 2, 8);
        frames.Frame(1)[(1 * 3 + 2) * 3 + 1] = 255; // t = 1, y = 1, x = 2, green
        using var t = PixelTensor.FromFrames(frames);
        Assert.Equal([1L, 3, 2, 2, 3], t.shape);
        Assert.Equal(1f, t[0, 1, 1, 1, 2].item<float>());
        Assert.Equal(-1f, t[0, 0, 1, 1, 2].item<float>());
        Assert.Equal(-1f, t.min().item<float>());
    }

    [Fact]
    public void Draws_depend_on_seed_step_and_index_only()
    {
        using var model = NewModel();
        using var scope = NewDisposeScope();
        var a = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false), seed: 1, step: 4);
        var b = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false), seed: 1, step: 4);
        var later = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false), seed: 1, step: 5);
        var other = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false, index: 1), seed: 1, step: 4);
        Assert.Equal([1L, 16, 3, 4, 4], a.X0.shape);
        Assert.True(a.Noise.equal(b.Noise).all().item<bool>());
        Assert.Equal(a.Time.item<float>(), b.Time.item<float>());
        Assert.False(a.Noise.equal(later.Noise).all().item<bool>());
        Assert.False(a.Noise.equal(other.Noise).all().item<bool>());
        Assert.InRange(a.Time.item<float>(), 0f, 1f);
    }

    [Fact]
    public void Image_to_video_gives_latent_frame_zero_and_marks_it()
    {
        using var model = NewModel();
        using var scope = NewDisposeScope();
        var e = SampleEncoder.Encode(model, Sample(GenerationTask.ImageToVideo, false), seed: 1, step: 0);
        Assert.Equal(16f, e.ConditionMask[0, 0, 0].sum().item<float>());
        Assert.Equal(0f, e.ConditionMask[0, 0, 1..].sum().item<float>());
        Assert.True(e.Condition[.., .., 0].equal(e.X0[.., .., 0]).all().item<bool>());
        var t2v = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false), seed: 1, step: 0);
        Assert.Equal(0f, t2v.ConditionMask.sum().item<float>());
    }

    [Fact]
    public void Dropped_text_is_the_empty_prompt()
    {
        using var model = NewModel();
        using var scope = NewDisposeScope();
        var kept = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, false), seed: 1, step: 0);
        var dropped = SampleEncoder.Encode(model, Sample(GenerationTask.TextToVideo, true), seed: 1, step: 0);
        Assert.Equal(7L, kept.TextMask.sum().item<long>()); // <bos> five words <eos>
        Assert.Equal(2L, dropped.TextMask.sum().item<long>());
        Assert.Equal([Tokenizer.Bos, Tokenizer.Eos], dropped.TextIds[0, ..2].data<long>().ToArray());
        Assert.True(float.IsFinite(dropped.Loss(model, null).item<float>()));
    }
}
