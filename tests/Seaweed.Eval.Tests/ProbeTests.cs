using Seaweed.Data;
using Seaweed.Data.Footage;
using Seaweed.Data.Imaging;
using Seaweed.Data.Understanding;
using Seaweed.Data.World;
using Xunit.Abstractions;
using Seaweed.Testing;

namespace Seaweed.Eval.Tests;

public sealed class ProbeTests(ITestOutputHelper output)
{
    /// <summary>Clips of both splits with the generator's own sizes, two-object fraction and pans.</summary>
    private static WorldClip[] GeneratorClips(int train, int heldOut, IReadOnlyList<(int Width, int Height)>? sizes = null)
    {
        var options = new WorldOptions { Seed = 21 };
        if (sizes is not null) options = options with { Sizes = sizes };
        return new WorldGenerator(options).Clips(0, train)
            .Concat(new WorldGenerator(options with { Seed = 22, Split = WorldSplit.HeldOut }).Clips(0, heldOut))
            .ToArray();
    }

    /// <summary>Scores every clip, prints the accuracy and each miss, and returns the accuracy.</summary>
    private ProbeAccuracy Measure(string name, IReadOnlyList<WorldClip> clips, IReadOnlyList<VideoFrames> frames) => Score(name, clips, frames).Accuracy;

    private (ProbeAccuracy Accuracy, ProbeResult[] Results) Score(string name, IReadOnlyList<WorldClip> clips, IReadOnlyList<VideoFrames> frames)
    {
        var results = clips.Select((c, i) => Probe.Score(frames[i], c.Content)).ToArray();
        var accuracy = ProbeAccuracy.Of(results);
        output.WriteLine($"{name}: {accuracy}");
        for (int i = 0; i < clips.Count; i++)
            if (!results[i].All) output.WriteLine($"  missed {clips[i].Index} {frames[i].Width}x{frames[i].Height}: {Describe(clips[i].Content)} read as {Describe(results[i].Reading)}");
        return (accuracy, results);
    }

    private static string Describe(SceneContent c) =>
        string.Join(" + ", c.Objects.Select(o => $"{o.Colour} {o.Shape} {o.Motion}")) + $" on {c.Background}, camera {c.Camera}";

    private static string Describe(SceneReading r) =>
        string.Join(" + ", r.Objects.Select(o => $"{o.Colour} {o.Shape} ({o.ShapeConfidence:F2}) {o.Motion} travel ({o.TravelX:F2}, {o.TravelY:F2}) growth {o.RadiusChange:F2}"))
        + $" on {r.Background}, camera {r.Camera}";

    private static void AssertAtLeast(ProbeAccuracy accuracy, double floor)
    {
        Assert.True(accuracy.ColourAccuracy >= floor, $"colour {accuracy.ColourAccuracy:P1} < {floor:P0}");
        Assert.True(accuracy.ShapeAccuracy >= floor, $"shape {accuracy.ShapeAccuracy:P1} < {floor:P0}");
        Assert.True(accuracy.MotionAccuracy >= floor, $"motion {accuracy.MotionAccuracy:P1} < {floor:P0}");
    }

    [Fact]
    public void ReadsRendersOfBothSplits()
    {
        var clips = GeneratorClips(train: 200, heldOut: 100);
        var (accuracy, results) = Score("renders", clips, clips.Select(c => c.Render()).ToArray());
        Assert.Equal(300, accuracy.Clips);
        Assert.True(accuracy.Objects > 330, $"only {accuracy.Objects} objects: too few two-object clips");
        AssertAtLeast(accuracy, 0.98);

        // Beyond what the probe scores, the whole content (sizes, background, camera) reads back too.
        int whole = Enumerable.Range(0, clips.Length).Count(i => SameContent(results[i].Reading.Content, clips[i].Content));
        output.WriteLine($"whole content: {whole / (double)clips.Length:P1}");
        Assert.True(whole >= 0.97 * clips.Length, $"whole content {whole}/{clips.Length}");
    }

    [Fact]
    public void SurvivesCompression()
    {
        var clips = GeneratorClips(train: 80, heldOut: 40);
        var frames = new VideoFrames[clips.Length];
        var rng = WorldRandom.For(3, 0, "probe-h264");
        foreach (var group in clips.Select((c, i) => (Clip: c, Index: i)).GroupBy(x => (x.Clip.Scene.Width, x.Clip.Scene.Height)))
        {
            var items = group.ToArray();
            var decoded = H264.RoundTripAll(items.Select(x => x.Clip.Render()).ToArray(), rng.Next(22, 31));
            for (int k = 0; k < items.Length; k++) frames[items[k].Index] = decoded[k];
        }
        AssertAtLeast(Measure("h264 crf 22..30", clips, frames), 0.95);
    }

    /// <summary>Generated video is 64×64, soft and grainy: blur alone, and blur with pixel noise.</summary>
    [Fact]
    public void SurvivesBlurAndNoiseAt64()
    {
        var clips = GeneratorClips(train: 100, heldOut: 50, sizes: [(64, 64)]);
        var renders = clips.Select(c => c.Render()).ToArray();
        AssertAtLeast(Measure("64x64 blur 1", clips, renders.Select(v => FrameOps.GaussianBlur(v, 1.0)).ToArray()), 0.95);
        var rng = WorldRandom.For(4, 0, "probe-noise");
        AssertAtLeast(Measure("64x64 blur 1 + noise 8", clips, renders.Select(v => Defects.AddNoise(FrameOps.GaussianBlur(v, 1.0), 8, rng)).ToArray()), 0.95);
    }

    [Fact]
    public void PairsObjectsByColourThenNearestColour()
    {
        var red = new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Large, Motion.Right);
        var blue = new ObjectContent(Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Down);
        var content = new SceneContent(red, blue, Background.Grey, CameraPan.None);
        var clip = Renderer.Render(WorldGenerator.Place(WorldRandom.For(1, 0, "pairs"), content, 128, 96, 17, 8));

        var swapped = Probe.Score(clip, content with { First = blue, Second = red });
        Assert.True(swapped.All);
        Assert.Equal([Colour.Blue, Colour.Red], swapped.Objects.Select(o => o.Expected.Colour));

        // Asked for a purple square, the video shows a blue one: the blue object is its nearest, with the right shape and motion.
        var purple = blue with { Colour = Colour.Purple };
        var wrong = Probe.Score(clip, content with { Second = purple });
        Assert.True(wrong.Objects[0].All);
        var miss = wrong.Objects[1];
        Assert.Equal(Colour.Blue, miss.Read?.Colour);
        Assert.Equal((false, true, true, false), (miss.Colour, miss.Shape, miss.Motion, miss.All));

        // Asked for a third object the video does not have: it scores nothing.
        var single = Probe.Score(Renderer.Render(WorldGenerator.Place(WorldRandom.For(2, 0, "pairs"), content with { Second = null }, 96, 64, 17, 8)), content);
        Assert.True(single.Objects[0].All);
        Assert.Null(single.Objects[1].Read);
        Assert.False(single.Objects[1].Colour || single.Objects[1].Shape || single.Objects[1].Motion);
    }

    [Fact]
    public void StillsAreScoredWithoutMotion()
    {
        var content = new SceneContent(new ObjectContent(Colour.Green, Shape.Triangle, ObjectSize.Medium, null), null, Background.Sand, CameraPan.None);
        var result = Probe.Score(Renderer.Render(WorldGenerator.Place(WorldRandom.For(3, 0, "still"), content, 64, 64, 1, 8)), content);
        Assert.True(result.All);
        Assert.Null(result.Objects[0].Read?.Motion);
    }

    [Fact]
    public void AccuracyCountsAndFractions()
    {
        Assert.Equal(0, ProbeAccuracy.Empty.ColourAccuracy);
        var expected = new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Left);
        var content = new SceneContent(expected, null, Background.Grey, CameraPan.None);
        var reading = new SceneReading(null, [], Background.Grey, CameraPan.None, 0, 0, 0);
        var right = new ProbeResult(content, reading, [new ObjectScore(expected, expected, true, true, true)]);
        var half = new ProbeResult(content, reading, [new ObjectScore(expected, expected with { Shape = Shape.Cross }, true, false, true)]);
        var accuracy = ProbeAccuracy.Of([right, half]);
        Assert.Equal(new ProbeAccuracy(Clips: 2, Objects: 2, Colour: 2, Shape: 1, Motion: 2, All: 1), accuracy);
        Assert.Equal((1.0, 0.5, 1.0, 0.5), (accuracy.ColourAccuracy, accuracy.ShapeAccuracy, accuracy.MotionAccuracy, accuracy.AllAccuracy));
        Assert.Contains("shape 50.0", accuracy.ToString());
    }

    [Fact]
    public void ValidatesArguments()
    {
        var content = new SceneContent(new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Left), null, Background.Grey, CameraPan.None);
        Assert.Equal("clip", Assert.Throws<ArgumentNullException>(() => Probe.Score(null!, content)).ParamName);
        Assert.Equal("expected", Assert.Throws<ArgumentNullException>(() => Probe.Score(new VideoFrames(64, 64, 1, 8), null!)).ParamName);
        Assert.Equal("clip", Assert.Throws<ArgumentException>(() => Probe.Score(new VideoFrames(8, 64, 1, 8), content)).ParamName);
        Assert.Equal("results", Assert.Throws<ArgumentNullException>(() => ProbeAccuracy.Of(null!)).ParamName);
    }

    /// <summary>Same objects (in any order), background and camera.</summary>
    private static bool SameContent(SceneContent? read, SceneContent truth) =>
        read is not null && read.Background == truth.Background && read.Camera == truth.Camera
        && read.Objects.OrderBy(o => o.Colour).SequenceEqual(truth.Objects.OrderBy(o => o.Colour));
}
