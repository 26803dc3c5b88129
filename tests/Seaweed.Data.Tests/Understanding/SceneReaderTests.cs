using Seaweed.Data.Understanding;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Understanding;

public sealed class SceneReaderTests
{
    private static VideoFrames Render(SceneContent content, int width, int height, int frames, long seed = 1) =>
        Renderer.Render(WorldGenerator.Place(WorldRandom.For(seed, 0, "reader-test"), content, width, height, frames, 8));

    /// <summary>A background alone, drifting by (dx, dy) short sides per frame.</summary>
    internal static VideoFrames BackgroundOnly(Background background, int width, int height, int frames, double dx = 0, double dy = 0)
    {
        var video = new VideoFrames(width, height, frames, 8);
        double unit = Math.Min(width, height);
        for (int t = 0; t < frames; t++)
        {
            var frame = video.Frame(t);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                {
                    var (r, g, b) = Renderer.BackgroundAt(background, x / unit + dx * t, y / unit + dy * t);
                    int i = (y * width + x) * 3;
                    frame[i] = r; frame[i + 1] = g; frame[i + 2] = b;
                }
        }
        return video;
    }

    private static bool SameObjects(SceneContent? read, SceneContent truth) =>
        read is not null && read.Objects.OrderBy(o => o.Colour).SequenceEqual(truth.Objects.OrderBy(o => o.Colour));

    [Fact]
    public void BackgroundsWithoutObjectsHaveNoContent()
    {
        foreach (var background in Vocabulary.Backgrounds)
        {
            var reading = SceneReader.Read(BackgroundOnly(background, 96, 64, 9, dx: 0.01));
            Assert.Null(reading.Content);
            Assert.Empty(reading.Objects);
            Assert.Equal(background, reading.Background);
            Assert.Equal(CameraPan.None, reading.Camera);
        }
    }

    [Fact]
    public void StillHasNoMotion()
    {
        var content = new SceneContent(new ObjectContent(Colour.Orange, Shape.Cross, ObjectSize.Medium, null),
            new ObjectContent(Colour.Yellow, Shape.Diamond, ObjectSize.Small, null), Background.Checkered, CameraPan.None);
        var reading = SceneReader.Read(Render(content, 96, 96, 1));
        Assert.True(SameObjects(reading.Content, content), $"{reading.Content}");
        Assert.True(reading.Content!.IsStill);
        Assert.All(reading.Objects, o => Assert.Single(o.Track));
        Assert.Equal((Background.Checkered, CameraPan.None), (reading.Background, reading.Camera));
    }

    [Fact]
    public void ReadsTwoObjectsWithTheirTracks()
    {
        var content = new SceneContent(new ObjectContent(Colour.Cyan, Shape.Triangle, ObjectSize.Small, Motion.Diagonal),
            new ObjectContent(Colour.Pink, Shape.Square, ObjectSize.Large, Motion.Shrink), Background.Slate, CameraPan.None);
        var scene = WorldGenerator.Place(WorldRandom.For(7, 0, "reader-test"), content, 128, 96, 17, 8);
        var reading = SceneReader.Read(Renderer.Render(scene));
        Assert.True(SameObjects(reading.Content, content), $"{reading.Content}");
        Assert.Equal(content.Background, reading.Background);
        foreach (var o in reading.Objects)
        {
            var truth = scene.Objects.Single(s => s.Content.Colour == o.Colour);
            Assert.Equal(17, o.Track.Count);
            for (int t = 0; t < 17; t += 8)
            {
                var (x, y, r) = Kinematics.ScreenAt(scene, truth, scene.Progress(t));
                var point = o.Track[t];
                Assert.Equal(t, point.Frame);
                // Centroids are the shape's, not its drawing centre: the triangle's sits a sixth of its radius lower.
                double centroidY = truth.Content.Shape == Shape.Triangle ? y + r / 6 : y;
                Assert.InRange(point.X, x - 0.3, x + 0.3);
                Assert.InRange(point.Y, centroidY - 0.3, centroidY + 0.3);
                Assert.InRange(point.Radius, 0.97 * r, 1.03 * r);
            }
            Assert.InRange(o.ShapeConfidence, 0.5, 1);
        }
        var shrinking = reading.Objects.Single(o => o.Colour == Colour.Pink);
        Assert.InRange(shrinking.RadiusChange, Math.Log(0.55) - 0.03, Math.Log(0.55) + 0.03);
        var moving = reading.Objects.Single(o => o.Colour == Colour.Cyan);
        Assert.InRange(moving.TravelX, 0.26, 0.30);
        Assert.InRange(moving.TravelY, 0.26, 0.30);
    }

    [Fact]
    public void PanOverStaticObjectReadsAsStaticAndThePan()
    {
        foreach (var background in Vocabulary.Backgrounds.Where(Vocabulary.IsTextured))
            foreach (var pan in Vocabulary.Pans.Where(p => p != CameraPan.None))
                foreach (var (w, h) in new[] { (64, 64), (128, 96) })
                {
                    var content = new SceneContent(new ObjectContent(Colour.Blue, Shape.Circle, ObjectSize.Medium, Motion.Static), null, background, pan);
                    var reading = SceneReader.Read(Render(content, w, h, 17, seed: (int)pan));
                    Assert.True(reading.Content == content, $"{background} {pan} {w}x{h}: {reading.Content}");
                    var (cx, cy) = Kinematics.CameraTravel(pan, 1, 1);
                    Assert.InRange(reading.BackgroundShiftX, -cx - 0.01, -cx + 0.01);
                    Assert.InRange(reading.BackgroundShiftY, -cy - 0.01, -cy + 0.01);
                }
    }

    [Fact]
    public void SizeOfAGrowthIsItsStartEvenWhenTheClipStartsLate()
    {
        var content = new SceneContent(new ObjectContent(Colour.Green, Shape.Circle, ObjectSize.Medium, Motion.Grow), null, Background.Grey, CameraPan.None);
        var shot = Render(content, 128, 128, 33);
        Assert.Equal(ObjectSize.Medium, SceneReader.Read(shot).Objects[0].Size);
        // Frames 8..29: the radius there starts a fifth larger than at the shot's start, a Large on its own.
        var late = SceneReader.Read(shot.Slice(8, 22)).Objects[0];
        Assert.Equal((Motion.Grow, ObjectSize.Medium), (late.Motion, late.Size));
        Assert.InRange(late.Track[0].Radius / 128, 0.155, 0.165);
    }

    [Fact]
    public void ValidatesArguments()
    {
        Assert.Equal("clip", Assert.Throws<ArgumentNullException>(() => SceneReader.Read(null!)).ParamName);
        Assert.Equal("clip", Assert.Throws<ArgumentException>(() => SceneReader.Read(new VideoFrames(64, 8, 3, 8))).ParamName);
    }
}
