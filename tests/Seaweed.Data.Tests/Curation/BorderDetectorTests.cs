using Seaweed.Data.Curation;
using static Seaweed.Data.Tests.Curation.CraftedVideo;
using Seaweed.Testing;

namespace Seaweed.Data.Tests.Curation;

public sealed class BorderDetectorTests
{
    [Fact]
    public void BlankVideoIsAllBorder() => Assert.Null(BorderDetector.Detect(Black(5)));

    [Fact]
    public void VideoWithoutBarsIsAllContent() =>
        Assert.Equal(new PixelRect(0, 0, Width, Height), BorderDetector.Detect(Shot(1, 5)));

    [Fact]
    public void FindsLetterboxBars() =>
        Assert.Equal(new PixelRect(0, 10, Width, Height), BorderDetector.Detect(WithBars(Shot(1, 5), top: 10, left: 0)));

    [Fact]
    public void FindsPillarboxBars() =>
        Assert.Equal(new PixelRect(14, 0, Width, Height), BorderDetector.Detect(WithBars(Shot(1, 5), top: 0, left: 14)));

    [Fact]
    public void DarkFramesDoNotShrinkTheContent()
    {
        // Mostly a fade and a dark shot: the one bright frame shows where the content is.
        var shot = Shot(1, 8);
        var video = WithBars(Concat(Gains(shot, 1, 0.6, 0.2, 0.1, 0.1, 0.1, 0.1, 0.1), Black(3)), top: 8, left: 0);
        Assert.Equal(new PixelRect(0, 8, Width, Height), BorderDetector.Detect(video));
    }

    [Fact]
    public void SurvivesCompressionRinging()
    {
        var video = H264.RoundTrip(WithBars(Concat(Shot(1, 6), Shot(2, 6)), top: 0, left: 12), crf: 30);
        Assert.Equal(new PixelRect(12, 0, Width, Height), BorderDetector.Detect(video));
    }

    [Fact]
    public void NullIsRejected() => Assert.Throws<ArgumentNullException>("video", () => BorderDetector.Detect(null!));
}
