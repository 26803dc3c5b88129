using Seaweed.Training.Samples;
using Seaweed.Training.Vae;

namespace Seaweed.Training.Tests.Vae;

public sealed class VaeBatchesTests
{
    [Theory]
    [InlineData(1, 1, 64, 8, 64, 64)]
    [InlineData(2, 1, 64, 8, 88, 48)]
    [InlineData(3, 2, 64, 16, 80, 48)]
    [InlineData(2, 1, 32, 16, 48, 32)] // the short side is raised to the world's 32 pixels
    public void Fit_keeps_the_area_and_aspect_on_the_vae_grid(int aw, int ah, int resolution, int unit, int width, int height) =>
        Assert.Equal((width, height), VaeBatches.Fit(aw, ah, resolution, unit));

    [Fact]
    public void Shapes_follow_the_stages_and_mix_aspects_and_modalities()
    {
        using var dir = TestRuns.ModelDirectory();
        var stages = """
            [
              { "name": "images", "steps": 40, "images": { "resolutions": [32, 48] } },
              { "name": "videos", "steps": 40, "imageShare": 0.25, "images": { "resolutions": [32] }, "videos": [ { "frames": 5, "resolution": 32 }, { "frames": 9, "resolution": 48 } ] }
            ]
            """;
        var batches = new VaeBatches(VaeRuns.Config(dir, stages: stages));
        var shapes = Enumerable.Range(0, 80).Select(s => batches.ShapeAt(s)).ToList();
        Assert.All(shapes.Take(40), s => Assert.Equal(("images", Modality.Image, 1), (s.StageName, s.Modality, s.Frames)));
        Assert.All(shapes.Skip(40), s => Assert.Equal(1, s.Stage));
        var videos = shapes.Skip(40).Where(s => s.Modality == Modality.Video).ToList();
        Assert.InRange(videos.Count, 20, 39);
        Assert.Equal([5, 9], videos.Select(s => s.Frames).Distinct().Order());
        Assert.All(shapes, s => Assert.True(s.Width % 8 == 0 && s.Height % 8 == 0 && s.Width >= 32 && s.Height >= 32, s.ToString()));
        Assert.True(shapes.Select(s => (s.Width, s.Height)).Distinct().Count() >= 5, "several sizes and aspect ratios");
        Assert.Equal(shapes, Enumerable.Range(0, 80).Select(s => batches.ShapeAt(s)));
        Assert.Throws<ArgumentOutOfRangeException>(() => batches.ShapeAt(80));
    }

    [Fact]
    public void Clips_are_fixed_by_step_and_cursor_and_advance_their_stream()
    {
        using var dir = TestRuns.ModelDirectory();
        var batches = new VaeBatches(VaeRuns.Config(dir));
        var (shape, clips, next) = batches.Clips(0, new DataCursor(5, 7));
        Assert.Equal(Modality.Image, shape.Modality);
        Assert.Equal(new DataCursor(7, 7), next);
        Assert.Equal(2, clips.Count);
        Assert.All(clips, c => Assert.Equal((shape.Width, shape.Height, 1), (c.Width, c.Height, c.FrameCount)));
        Assert.NotEqual(clips[0].Data, clips[1].Data);
        var again = batches.Clips(0, new DataCursor(5, 7)).Clips;
        Assert.Equal(clips[1].Data, again[1].Data);
        Assert.NotEqual(clips[0].Data, batches.Clips(0, new DataCursor(6, 7)).Clips[0].Data);
        var (_, video, _) = batches.Take(0, new DataCursor(5, 7));
        Assert.Equal(new long[] { 2, 3, 1, shape.Height, shape.Width }, video.shape);
    }

    [Fact]
    public void A_stage_may_set_its_own_batch()
    {
        using var dir = TestRuns.ModelDirectory();
        var stages = """
            [
              { "name": "images", "steps": 1, "images": { "resolutions": [32] } },
              { "name": "videos", "steps": 1, "batch": 1, "videos": [ { "frames": 5, "resolution": 32 } ] }
            ]
            """;
        var batches = new VaeBatches(VaeRuns.Config(dir, stages: stages));
        var (_, images, afterImages) = batches.Clips(0, default);
        var (_, videos, afterVideos) = batches.Clips(1, afterImages);
        Assert.Equal((2, 1), (images.Count, videos.Count));
        Assert.Equal(new DataCursor(2, 1), afterVideos);
    }
}
