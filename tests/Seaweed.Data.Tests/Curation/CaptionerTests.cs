using Seaweed.Data.Curation;
using Seaweed.Data.Tests.Understanding;
using Seaweed.Data.Understanding;
using Seaweed.Data.World;
using Xunit.Abstractions;

namespace Seaweed.Data.Tests.Curation;

public sealed class CaptionerTests(ITestOutputHelper output)
{
    /// <summary>Good shots of compressed footage, trimmed as shot detection leaves them, including rescaled and
    /// cropped near-duplicates: their captions parse back to what the shot's render shows.</summary>
    [Fact]
    public void CaptionsOfCompressedFootageParseBackToTheirContent()
    {
        var clips = FootageClips.Generate(seed: 5, videos: 14, duplicateFraction: 0.12);
        int detailed = 0, brief = 0;
        for (int i = 0; i < clips.Count; i++)
        {
            var clip = clips[i];
            var caption = Captioner.Write(clip.Frames, i % CaptionGrammar.Variants);
            if (caption is not null)
            {
                // The short form states the same objects, motions and pan as the detailed one.
                var full = CaptionParser.Parse(caption.Detailed);
                var shortForm = CaptionParser.Parse(caption.Short);
                Assert.Equal(full.Objects.Select(o => (o.Colour, o.Shape, o.Motion)), shortForm.Objects.Select(o => (o.Colour, o.Shape, o.Motion)));
                Assert.Equal(full.Camera, shortForm.Camera);
                if (shortForm.Matches(clip.Content)) brief++;
            }
            if (caption is not null && CaptionParser.Parse(caption.Detailed).Matches(clip.Content))
            {
                detailed++;
                continue;
            }
            var r = SceneReader.Read(clip.Frames);
            output.WriteLine($"  missed {clip.Id} ({clip.Variant?.ToString() ?? "original"}) {clip.Frames.Width}x{clip.Frames.Height}x{clip.Frames.FrameCount}: "
                + $"{string.Join(" + ", clip.Content.Objects.Select(o => $"{o.Size} {o.Colour} {o.Shape} {o.Motion}"))} on {clip.Content.Background}, camera {clip.Content.Camera}; "
                + $"captioned \"{caption?.Detailed}\" (radii {string.Join(", ", r.Objects.Select(o => o.StartRadius.ToString("F3")))})");
        }
        double accuracy = detailed / (double)clips.Count, shortAccuracy = brief / (double)clips.Count;
        output.WriteLine($"{clips.Count} footage clips: detailed captions match {accuracy:P1}, short captions {shortAccuracy:P1}");
        Assert.True(clips.Count >= 80, $"only {clips.Count} clips");
        Assert.True(accuracy >= 0.95, $"detailed {accuracy:P1}");
        Assert.True(shortAccuracy >= 0.95, $"short {shortAccuracy:P1}");
    }

    [Fact]
    public void NothingToReadGivesNoCaption()
    {
        Assert.Null(Captioner.Write(SceneReaderTests.BackgroundOnly(Background.Sand, 64, 64, 5), 0));
        Assert.Null(Captioner.Write(SceneReaderTests.BackgroundOnly(Background.Striped, 96, 64, 1), 2));
    }

    [Fact]
    public void WritesEveryVariantOfTheReadContent()
    {
        var content = new SceneContent(new ObjectContent(Colour.Red, Shape.Square, ObjectSize.Large, Motion.Left), null, Background.Cloudy, CameraPan.Up);
        var clip = Renderer.Render(WorldGenerator.Place(WorldRandom.For(2, 0, "captioner"), content, 128, 96, 17, 8));
        for (int v = 0; v < CaptionGrammar.Variants; v++)
            Assert.Equal(CaptionGrammar.Write(content, v), Captioner.Write(clip, v));
    }

    [Fact]
    public void ValidatesArguments()
    {
        var clip = new VideoFrames(64, 64, 1, 8);
        Assert.Equal("clip", Assert.Throws<ArgumentNullException>(() => Captioner.Write(null!, 0)).ParamName);
        Assert.Equal("variant", Assert.Throws<ArgumentOutOfRangeException>(() => Captioner.Write(clip, -1)).ParamName);
        Assert.Equal("variant", Assert.Throws<ArgumentOutOfRangeException>(() => Captioner.Write(clip, CaptionGrammar.Variants)).ParamName);
    }
}
