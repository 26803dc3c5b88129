using Seaweed.Model.Pipeline;
using Seaweed.Tests.Shared;
using static TorchSharp.torch;

namespace Seaweed.Model.Tests.Pipeline;

/// <summary>Sampling from a tiny random model saved to disk: 9 frames of 32×32, two Euler steps.</summary>
public sealed class GenerationPipelineTests : IDisposable
{
    private readonly string directory = TinyModel.SaveTemp();
    private readonly SeaweedModel model;
    private readonly GenerationPipeline pipeline;

    public GenerationPipelineTests()
    {
        model = SeaweedModel.Load(directory);
        pipeline = new GenerationPipeline(model);
    }

    public void Dispose()
    {
        model.Dispose();
        Directory.Delete(Path.GetDirectoryName(directory)!, recursive: true);
    }

    private static GenerationSettings Settings(long seed = 11, int frames = 9) =>
        new("A small red circle moves to the left on a grey background.", frames, 32, 32, Steps: 2, Guidance: 3, seed);

    [Fact]
    public void The_same_seed_gives_a_bit_identical_video_and_another_seed_a_different_one()
    {
        var first = pipeline.Generate(Settings());
        var again = pipeline.Generate(Settings());
        Assert.Equal((9, 32, 32), (first.Frames, first.Height, first.Width));
        Assert.Equal(9 * 32 * 32 * 3, first.Rgb24.Length);
        Assert.Equal(first.Rgb24, again.Rgb24);

        // A model loaded afresh from the same files samples the same video.
        using (var reloaded = SeaweedModel.Load(directory))
            Assert.Equal(first.Rgb24, new GenerationPipeline(reloaded).Generate(Settings()).Rgb24);

        var other = pipeline.Generate(Settings(seed: 12));
        Assert.NotEqual(first.Rgb24, other.Rgb24);
        Assert.Equal(0, first.GivenFrames);
    }

    [Fact]
    public void An_image_conditions_the_first_frame_and_a_clip_its_last_frames()
    {
        using var image = rand([1, 3, 1, 32, 32], generator: new Generator(3)) * 2 - 1;
        var fromImage = pipeline.Generate(Settings(), image);
        Assert.Equal((9, 1), (fromImage.Frames, fromImage.GivenFrames));
        Assert.Equal(fromImage.Rgb24, pipeline.Generate(Settings(), image).Rgb24);
        Assert.NotEqual(pipeline.Generate(Settings()).Rgb24, fromImage.Rgb24);

        // A 13-frame clip continued into 9 frames: its last 5 frames (2 latent frames) are given.
        using var clip = rand([1, 3, 13, 32, 32], generator: new Generator(4)) * 2 - 1;
        var continued = pipeline.Generate(Settings(), clip);
        Assert.Equal((9, 5), (continued.Frames, continued.GivenFrames));
        // Only the clip's tail matters: the same tail after other frames gives the same video.
        using var otherHead = cat([rand([1, 3, 8, 32, 32], generator: new Generator(5)) * 2 - 1, clip[.., .., 8..]], 2);
        Assert.Equal(continued.Rgb24, pipeline.Generate(Settings(), otherHead).Rgb24);
    }

    [Fact]
    public void Progress_counts_every_step_then_every_decoded_chunk_and_cancellation_stops_between_steps()
    {
        var reports = new List<PipelineProgress>();
        pipeline.Generate(Settings() with { Steps = 3 }, progress: new Collect(reports.Add));
        // 3 latent frames decode as [0], [1, 2]: two chunks.
        Assert.Equal(
            [new(PipelineStage.Denoising, 1, 3), new(PipelineStage.Denoising, 2, 3), new(PipelineStage.Denoising, 3, 3),
             new(PipelineStage.Decoding, 1, 2), new(PipelineStage.Decoding, 2, 2)],
            reports);

        using var cancel = new CancellationTokenSource();
        var seen = new List<PipelineProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Generate(Settings() with { Steps = 3 }, progress: new Collect(p =>
        {
            seen.Add(p);
            cancel.Cancel();
        }), cancellationToken: cancel.Token));
        Assert.Equal([new PipelineProgress(PipelineStage.Denoising, 1, 3)], seen);
    }

    [Fact]
    public void Cancellation_during_decoding_stops_before_the_next_chunk()
    {
        using var cancel = new CancellationTokenSource();
        var seen = new List<PipelineProgress>();
        Assert.ThrowsAny<OperationCanceledException>(() => pipeline.Generate(Settings(), progress: new Collect(p =>
        {
            seen.Add(p);
            if (p.Stage == PipelineStage.Decoding) cancel.Cancel();
        }), cancellationToken: cancel.Token));
        Assert.Equal(new PipelineProgress(PipelineStage.Decoding, 1, 2), seen[^1]);
    }

    [Fact]
    public void A_sampled_latent_decoded_apart_is_the_generated_video_and_any_exact_decode_of_it_agrees()
    {
        var generated = pipeline.Generate(Settings());
        using var sampled = pipeline.Sample(Settings());
        Assert.Equal(new long[] { 1, model.Config.Vae.LatentChannels, 3, 32 / model.Config.Vae.SpatialDownsample, 32 / model.Config.Vae.SpatialDownsample },
            sampled.Latent.shape);
        Assert.Equal(generated.Rgb24, pipeline.Decode(sampled).Rgb24);

        // The whole latent in one decode: the same pixels within fp32 rounding, so within one level once quantised.
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var whole = sampled.Video(model.Vae.Decode(sampled.Latent), 0);
        Assert.Equal(generated.Rgb24.Length, whole.Rgb24.Length);
        Assert.True(generated.Rgb24.Zip(whole.Rgb24).All(p => Math.Abs(p.First - p.Second) <= 1));
        Assert.Equal("video", Assert.Throws<ConfigException>(() => sampled.Video(zeros([1, 3, 9, 16, 32]), 0)).Field);
    }

    [Theory]
    [InlineData("prompt", "", 9, 32, 32, 2, 3.0)]
    [InlineData("prompt", "long", 9, 32, 32, 2, 3.0)]
    [InlineData("frames", "p", 0, 32, 32, 2, 3.0)]
    [InlineData("frames", "p", 8, 32, 32, 2, 3.0)]
    [InlineData("frames", "p", 125, 32, 32, 2, 3.0)]
    [InlineData("height", "p", 9, 24, 32, 2, 3.0)]
    [InlineData("width", "p", 9, 32, 40, 2, 3.0)]
    [InlineData("width", "p", 9, 32, -16, 2, 3.0)]
    [InlineData("steps", "p", 9, 32, 32, 0, 3.0)]
    [InlineData("steps", "p", 9, 32, 32, 201, 3.0)]
    [InlineData("guidance", "p", 9, 32, 32, 2, double.NaN)]
    [InlineData("guidance", "p", 9, 32, 32, 2, -1.0)]
    public void Bad_settings_name_the_field(string field, string prompt, int frames, int height, int width, int steps, double guidance)
    {
        string text = prompt == "long" ? new string('a', 1001) : prompt;
        var e = Assert.Throws<ConfigException>(() => pipeline.Generate(new GenerationSettings(text, frames, height, width, steps, guidance, 1)));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void A_given_clip_of_another_size_names_the_image_or_the_video()
    {
        using var image = zeros([1, 3, 1, 16, 32]);
        Assert.Equal("image", Assert.Throws<ConfigException>(() => pipeline.Generate(Settings(), image)).Field);
        using var clip = zeros([1, 3, 5, 32, 16]);
        Assert.Equal("video", Assert.Throws<ConfigException>(() => pipeline.Generate(Settings(), clip)).Field);
    }

    private sealed class Collect(Action<PipelineProgress> add) : IProgress<PipelineProgress>
    {
        public void Report(PipelineProgress value) => add(value);
    }
}
