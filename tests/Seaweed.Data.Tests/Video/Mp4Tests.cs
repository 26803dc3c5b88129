using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

public sealed class Mp4Tests
{
    [Fact]
    public async Task RoundTripPreservesSizeFpsFrameCountAndFidelity()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var video = TestMedia.MovingPattern(96, 64, 30, 24);
        string path = dir.File("clip.mp4");

        await ffmpeg.EncodeAsync(video, path);
        var back = await ffmpeg.DecodeAsync(path);

        Assert.Equal((96, 64, 30), (back.Width, back.Height, back.FrameCount));
        Assert.Equal(24.0, back.Fps, 6);
        double psnr = TestMedia.Psnr(video.Data, back.Data);
        Assert.True(psnr >= 35, $"PSNR {psnr:F2} dB < 35 dB");
        Assert.Equal(["clip.mp4"], dir.Entries());
    }

    [Fact]
    public async Task NtscFrameRateSurvivesAsAnExactRational()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        string path = dir.File("ntsc.mp4");
        await ffmpeg.EncodeAsync(TestMedia.MovingPattern(32, 32, 10, 30000.0 / 1001), path, new Mp4EncodeOptions(Preset: "ultrafast"));

        var probe = await ffmpeg.ProbeAsync(path);
        Assert.Equal((30000, 1001), (probe.FpsNumerator, probe.FpsDenominator));
        Assert.Equal(10, probe.DeclaredFrameCount);
    }

    [Fact]
    public async Task DecodesAFrameRangeIdenticalToTheSameFramesOfAFullDecode()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var video = TestMedia.MovingPattern(64, 48, 40, 25);
        string path = dir.File("range.mp4");
        await ffmpeg.EncodeAsync(video, path, new Mp4EncodeOptions(Preset: "veryfast"));

        var full = await ffmpeg.DecodeAsync(path);
        var part = await ffmpeg.DecodeAsync(path, start: 13, count: 9);
        var tail = await ffmpeg.DecodeAsync(path, start: 35);

        Assert.Equal(9, part.FrameCount);
        Assert.Equal(full.Slice(13, 9).Data, part.Data);
        Assert.Equal(full.Slice(35, 5).Data, tail.Data);
        Assert.Equal(25.0, part.Fps, 6);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ffmpeg.DecodeAsync(path, start: 38, count: 5));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ffmpeg.DecodeAsync(path, start: 40));
    }

    [Theory]
    [InlineData(33, 16, "width 33")]
    [InlineData(32, 17, "height 17")]
    public async Task OddSizeIsRejectedNamingTheDimension(int width, int height, string named)
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => ffmpeg.EncodeAsync(TestMedia.Noise(width, height, 2), dir.File("odd.mp4")));
        Assert.Contains(named, e.Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public async Task MissingFileIsFileNotFoundNamingIt()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => ffmpeg.DecodeAsync(dir.File("nowhere.mp4")));
        Assert.Contains("nowhere.mp4", e.Message);
    }

    [Fact]
    public async Task CancellationStopsALongEncodeQuicklyAndLeavesNoFile()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        // Noise at the slowest preset takes libx264 far longer than the cancellation budget below.
        var video = TestMedia.Noise(640, 360, 120);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => ffmpeg.EncodeAsync(video, dir.File("long.mp4"), new Mp4EncodeOptions(Preset: "placebo"), cts.Token));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"cancellation took {watch.Elapsed.TotalSeconds:F1} s");
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public async Task AnEncoderThatExitsEarlyIsAnIOErrorAndLeavesNoFile()
    {
        // /bin/false stands in for an ffmpeg that dies at once: the frame pipe breaks and the exit code must surface.
        Assert.True(File.Exists("/bin/false"), "this test needs /bin/false");
        var broken = new Ffmpeg("/bin/false", "/bin/false");
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<IOException>(() => broken.EncodeAsync(TestMedia.Noise(320, 240, 30), dir.File("never.mp4")));
        Assert.Contains("never.mp4", e.Message);
        Assert.Contains("exit 1", e.Message);
        Assert.Empty(dir.Entries());
    }
}
