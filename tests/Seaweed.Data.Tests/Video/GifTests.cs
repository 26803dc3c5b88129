using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

public sealed class GifTests
{
    private static byte[] DecodeWithFfmpeg(Ffmpeg ffmpeg, string gif) =>
        TestMedia.RunFfmpeg(ffmpeg, "-i", gif, "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-");

    [Fact]
    public void FfmpegDecodesAVideoOfAtMost256ColoursExactly()
    {
        // Per-pixel random palette indices defeat LZW's dictionary, so it fills to 4096 codes and clears many times.
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var rng = new Random(11);
        var colours = new byte[200 * 3];
        rng.NextBytes(colours);
        var video = new VideoFrames(70, 45, 6, 10);
        for (int i = 0; i < video.Data.Length / 3; i++) colours.AsSpan(rng.Next(200) * 3, 3).CopyTo(video.Data.AsSpan(i * 3));
        string gif = dir.File("exact.gif");
        File.WriteAllBytes(gif, GifEncoder.Encode(video));

        Assert.Equal(video.Data, DecodeWithFfmpeg(ffmpeg, gif));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task FfmpegReadsOurAnimatedGifWithTheRightFrameCountAndColours(bool uniformPalette)
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var video = TestMedia.MovingPattern(48, 32, 12, 10);
        string gif = dir.File("pattern.gif");
        File.WriteAllBytes(gif, GifEncoder.Encode(video, uniformPalette ? GifPalette.Uniform() : null));

        var back = await ffmpeg.DecodeAsync(gif);

        Assert.Equal((48, 32, 12), (back.Width, back.Height, back.FrameCount));
        Assert.Equal(10.0, back.Fps, 1);
        double mae = TestMedia.MeanAbsError(video.Data, back.Data);
        Assert.True(mae < (uniformPalette ? 14 : 6), $"mean absolute error {mae:F2} levels");
    }

    [Fact]
    public async Task AFrameRangeOfAGifMatchesTheFullDecode()
    {
        // GIF declares no frame count, so the range is cut by the trim filter alone.
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        string gif = dir.File("range.gif");
        File.WriteAllBytes(gif, GifEncoder.Encode(TestMedia.MovingPattern(24, 16, 10, 10)));

        var full = await ffmpeg.DecodeAsync(gif);
        var part = await ffmpeg.DecodeAsync(gif, start: 4, count: 3);

        Assert.Equal(full.Slice(4, 3).Data, part.Data);
    }

    [Fact]
    public void GifLoopsForeverAndUsesAGlobalPalette()
    {
        byte[] gif = GifEncoder.Encode(TestMedia.Noise(4, 4, 2));
        Assert.Equal("GIF89a"u8.ToArray(), gif[..6]);
        Assert.True((gif[10] & 0x80) != 0);
        int app = gif.AsSpan().IndexOf("NETSCAPE2.0"u8);
        Assert.True(app > 0);
        Assert.Equal(new byte[] { 0x03, 0x01, 0x00, 0x00 }, gif[(app + 11)..(app + 15)]);
        Assert.Equal(0x3B, gif[^1]);
    }

    [Theory]
    [InlineData(10, new ushort[] { 10, 10, 10, 10, 10, 10 })]
    [InlineData(30, new ushort[] { 3, 4, 3, 3, 4, 3 })]
    [InlineData(24, new ushort[] { 4, 4, 4, 5, 4, 4 })]
    [InlineData(100, new ushort[] { 2, 2, 2, 2, 2, 2 })]
    public void FrameDelaysTrackTheFrameRate(double fps, ushort[] expected) =>
        Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(t => GifEncoder.DelayCentiseconds(t, fps)).ToArray());

    [Fact]
    public void MedianCutPaletteStaysWithinTheLimit()
    {
        var palette = GifPalette.FromVideo(TestMedia.Noise(64, 64, 2), maxColours: 64);
        Assert.Equal(64, palette.Count);
    }
}
