using System.Security.Cryptography;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.World;

public sealed class WorldGeneratorTests
{
    [Fact]
    public void SameSeedGivesSameBytesInAnyOrder()
    {
        var a = new WorldGenerator(new WorldOptions { Seed = 7 });
        var b = new WorldGenerator(new WorldOptions { Seed = 7 });
        var forward = Enumerable.Range(0, 12).Select(i => Hash(a.Clip(i).Render())).ToArray();
        var backward = Enumerable.Range(0, 12).Reverse().Select(i => Hash(b.Clip(i).Render())).Reverse().ToArray();
        Assert.Equal(forward, backward);
        Assert.Equal(a.Clip(3).Caption, b.Clip(3).Caption);
        var other = new WorldGenerator(new WorldOptions { Seed = 8 });
        Assert.NotEqual(forward[0], Hash(other.Clip(0).Render()));
    }

    [Fact]
    public void HeldOutSplitIsFixedAndCoversEveryWordInTraining()
    {
        Assert.Equal(32, HeldOut.All.Count);
        var train = (from c in Vocabulary.Colours from s in Vocabulary.Shapes from m in Vocabulary.Motions
                     let k = new Composition(c, s, m) where !HeldOut.IsHeldOut(k) select k).ToArray();
        foreach (var k in HeldOut.All)
        {
            Assert.Contains(train, t => t.Colour == k.Colour && t.Shape == k.Shape);
            Assert.Contains(train, t => t.Colour == k.Colour && t.Motion == k.Motion);
            Assert.Contains(train, t => t.Shape == k.Shape && t.Motion == k.Motion);
        }
    }

    [Fact]
    public void TrainSplitNeverContainsAHeldOutComposition()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 3, TwoObjectFraction = 0.5 });
        foreach (var clip in world.Clips(0, 2000)) Assert.False(HeldOut.Touches(clip.Content), clip.Caption.Detailed);
        var footage = new FootageGenerator(new FootageOptions { Seed = 3 });
        for (int v = 0; v < 3; v++)
            foreach (var shot in footage.Video(v).Truth.Shots) Assert.False(HeldOut.Touches(shot.Content));
    }

    [Fact]
    public void HeldOutSplitAlwaysShowsAHeldOutComposition()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 3, Split = WorldSplit.HeldOut });
        var seen = new HashSet<Composition>();
        foreach (var clip in world.Clips(0, 600))
        {
            Assert.True(HeldOut.IsHeldOut(clip.Content.First.Composition!.Value));
            seen.Add(clip.Content.First.Composition!.Value);
        }
        Assert.Equal(HeldOut.All.Count, seen.Count);
    }

    [Fact]
    public void SamplesCoverTheVocabularyAndTheWorldsRules()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 11 });
        var clips = world.Clips(0, 3000).ToArray();
        var objects = clips.SelectMany(c => c.Content.Objects).ToArray();
        Assert.Equal(Vocabulary.Colours.Length, objects.Select(o => o.Colour).Distinct().Count());
        Assert.Equal(Vocabulary.Shapes.Length, objects.Select(o => o.Shape).Distinct().Count());
        Assert.Equal(Vocabulary.Motions.Length, objects.Where(o => o.Motion is not null).Select(o => o.Motion).Distinct().Count());
        Assert.Equal(Vocabulary.Pans.Length, clips.Select(c => c.Content.Camera).Distinct().Count());
        Assert.Equal(6, clips.Select(c => (c.Scene.Width, c.Scene.Height)).Distinct().Count());
        Assert.Contains(clips, c => c.Content.IsStill && c.Scene.FrameCount == 1);
        Assert.Contains(clips, c => c.Content.Second is not null);
        foreach (var c in clips)
        {
            if (c.Content.Camera != CameraPan.None) Assert.True(Vocabulary.IsTextured(c.Content.Background));
            bool allStatic = !c.Content.IsStill && c.Content.Objects.All(o => o.Motion == Motion.Static);
            if (allStatic) Assert.NotEqual(CameraPan.None, c.Content.Camera);
            if (c.Content.Second is { } b) Assert.NotEqual(c.Content.First.Colour, b.Colour);
        }
    }

    [Fact]
    public void ObjectsStayInsideTheFrameAndApart()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 5, TwoObjectFraction = 0.6, PanFraction = 0.5 });
        foreach (var clip in world.Clips(0, 500))
        {
            var s = clip.Scene;
            for (int t = 0; t < s.FrameCount; t++)
            {
                var pos = s.Objects.Select(o => Kinematics.ScreenAt(s, o, s.Progress(t))).ToArray();
                foreach (var (x, y, r) in pos)
                {
                    Assert.InRange(x - r, 0, s.Width);
                    Assert.InRange(x + r, 0, s.Width);
                    Assert.InRange(y - r, 0, s.Height);
                    Assert.InRange(y + r, 0, s.Height);
                }
                if (pos.Length == 2)
                    Assert.True(Math.Sqrt(Math.Pow(pos[0].X - pos[1].X, 2) + Math.Pow(pos[0].Y - pos[1].Y, 2)) > pos[0].R + pos[1].R);
            }
        }
    }

    [Fact]
    public void RenderedObjectHasItsColourAtItsCentre()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 2, TwoObjectFraction = 0 });
        foreach (var clip in world.Clips(0, 50))
        {
            var video = clip.Render();
            var s = clip.Scene;
            var (x, y, _) = Kinematics.ScreenAt(s, s.First, 0);
            var px = video.ReadFrame(0).Slice(((int)y * s.Width + (int)x) * 3, 3);
            Assert.Equal(Vocabulary.Rgb(s.First.Content.Colour), (px[0], px[1], px[2]));
        }
    }

    [Fact]
    public void BadOptionsNameTheField()
    {
        Assert.Contains("Sizes", Assert.Throws<ArgumentException>(() => new WorldGenerator(new WorldOptions { Sizes = [(33, 32)] })).Message);
        Assert.Contains("FrameCounts", Assert.Throws<ArgumentException>(() => new WorldGenerator(new WorldOptions { FrameCounts = [1] })).Message);
        Assert.Contains("PanFraction", Assert.Throws<ArgumentException>(() => new WorldGenerator(new WorldOptions { PanFraction = double.NaN })).Message);
    }

    internal static string Hash(VideoFrames v) => Convert.ToHexString(SHA256.HashData(v.Data));
}
