using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

public sealed class VideoIOTests
{
    private static VideoIO WithoutFfmpeg() => new(new Ffmpeg("/nonexistent/seaweed/ffmpeg"));

    [Fact]
    public async Task WithoutFfmpegAnMp4RequestWritesAGifBesideItAndSaysSo()
    {
        var io = WithoutFfmpeg();
        Assert.False(io.Ffmpeg.IsAvailable);
        using var dir = new TempDir();
        var video = TestMedia.MovingPattern(30, 20, 5, 12);

        var result = await io.WriteAsync(video, dir.File("clip.mp4"));

        Assert.True(result.UsedFallback);
        Assert.Equal(dir.File("clip.gif"), result.Path);
        Assert.Contains("clip.gif", result.Notice);
        Assert.Contains("ffmpeg", result.Notice);
        Assert.Equal(["clip.gif"], dir.Entries());
        Assert.Equal("GIF89a"u8.ToArray(), File.ReadAllBytes(result.Path)[..6]);
    }

    [Fact]
    public async Task TheFallbackGifIsAValidAnimation()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var result = await WithoutFfmpeg().WriteAsync(TestMedia.MovingPattern(30, 20, 5, 12), dir.File("clip.mp4"));
        Assert.Equal(5, (await ffmpeg.DecodeAsync(result.Path)).FrameCount);
    }

    [Fact]
    public async Task WithoutFfmpegReadingAVideoFileIsAClearError()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("clip.mp4"), [1, 2, 3]);
        var e = await Assert.ThrowsAsync<FfmpegUnavailableException>(() => WithoutFfmpeg().ReadAsync(dir.File("clip.mp4")));
        Assert.Contains("clip.mp4", e.Message);
        Assert.Contains("needs ffmpeg", e.Message);
        Assert.Contains("bootstrap.sh", e.Message);
    }

    [Fact]
    public async Task PngAndFrameDirectoriesWorkWithoutFfmpeg()
    {
        var io = WithoutFfmpeg();
        using var dir = new TempDir();
        var still = TestMedia.Noise(13, 7, 1);
        var video = TestMedia.Noise(13, 7, 4, fps: 7.5);

        var png = await io.WriteAsync(still, dir.File("still.png"));
        var frames = await io.WriteAsync(video, dir.File("frames"));

        Assert.False(png.UsedFallback);
        Assert.Equal(still.Data, (await io.ReadAsync(png.Path)).Data);
        Assert.Equal(["frame_00000.png", "frame_00001.png", "frame_00002.png", "frame_00003.png", "video.json"],
            TempDir.FileNames(frames.Path));
        var back = await io.ReadAsync(frames.Path);
        Assert.Equal((4, 7.5), (back.FrameCount, back.Fps));
        Assert.Equal(video.Data, back.Data);
        Assert.Equal(["frames", "still.png"], dir.Entries());
    }

    [Fact]
    public async Task RewritingAFrameDirectoryReplacesTheOldSequence()
    {
        var io = WithoutFfmpeg();
        using var dir = new TempDir();
        await io.WriteAsync(TestMedia.Noise(8, 8, 5), dir.File("seq") + Path.DirectorySeparatorChar);
        var shorter = TestMedia.Noise(8, 8, 2, seed: 9);
        await io.WriteAsync(shorter, dir.File("seq"));

        Assert.Equal(shorter.Data, (await io.ReadAsync(dir.File("seq"))).Data);
        Assert.Equal(["seq"], dir.Entries());
    }

    [Fact]
    public async Task AFrameDirectoryIsNotWrittenOverAnUnrelatedDirectory()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File("photos"));
        await File.WriteAllTextAsync(Path.Combine(dir.File("photos"), "keep.txt"), "mine");
        var e = await Assert.ThrowsAsync<IOException>(() => WithoutFfmpeg().WriteAsync(TestMedia.Noise(4, 4, 2), dir.File("photos")));
        Assert.Contains("photos", e.Message);
        Assert.Equal(["photos"], dir.Entries());
        Assert.Equal(["keep.txt"], TempDir.FileNames(dir.File("photos")));
    }

    [Fact]
    public async Task AFrameDirectoryWithAGapIsReportedNamingTheMissingFrame()
    {
        var io = WithoutFfmpeg();
        using var dir = new TempDir();
        var written = await io.WriteAsync(TestMedia.Noise(4, 4, 3), dir.File("gappy"));
        File.Delete(Path.Combine(written.Path, "frame_00001.png"));
        var e = await Assert.ThrowsAsync<VideoFormatException>(() => io.ReadAsync(written.Path));
        Assert.Contains("frame_00001.png", e.Message);
    }

    [Fact]
    public async Task AMultiFramePngIsAClearError()
    {
        using var dir = new TempDir();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => WithoutFfmpeg().WriteAsync(TestMedia.Noise(4, 4, 3), dir.File("many.png")));
        Assert.Contains("many.png", e.Message);
        Assert.Contains("3", e.Message);
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public async Task UnknownExtensionsAndMissingFilesAreNamed()
    {
        using var dir = new TempDir();
        var io = WithoutFfmpeg();
        Assert.Contains(".bmp", (await Assert.ThrowsAsync<ArgumentException>(() => io.WriteAsync(TestMedia.Noise(4, 4, 1), dir.File("x.bmp")))).Message);
        Assert.Contains("absent.mp4", (await Assert.ThrowsAsync<FileNotFoundException>(() => io.ReadAsync(dir.File("absent.mp4")))).Message);
    }

    [Fact]
    public async Task WithFfmpegMp4AndGifGoThroughFfmpeg()
    {
        var io = new VideoIO(TestMedia.RequireFfmpeg());
        using var dir = new TempDir();
        var video = TestMedia.MovingPattern(96, 64, 8, 20);

        var mp4 = await io.WriteAsync(video, dir.File("clip.mp4"), new Mp4EncodeOptions(Preset: "veryfast"));
        var gif = await io.WriteAsync(video, dir.File("clip.gif"));

        Assert.False(mp4.UsedFallback);
        Assert.Equal(dir.File("clip.mp4"), mp4.Path);
        var fromMp4 = await io.ReadAsync(mp4.Path);
        var fromGif = await io.ReadAsync(gif.Path);
        Assert.Equal((8, 20.0), (fromMp4.FrameCount, fromMp4.Fps));
        Assert.Equal(8, fromGif.FrameCount);
        double psnr = TestMedia.Psnr(video.Data, fromMp4.Data);
        Assert.True(psnr >= 35, $"PSNR {psnr:F2} dB");
        Assert.Equal(["clip.gif", "clip.mp4"], dir.Entries());
    }

    [Fact]
    public async Task ACancelledWriteLeavesNothingBehind()
    {
        var io = new VideoIO(TestMedia.RequireFfmpeg());
        using var dir = new TempDir();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            io.WriteAsync(TestMedia.Noise(640, 360, 60), dir.File("big.mp4"), new Mp4EncodeOptions(Preset: "placebo"), cts.Token));
        Assert.Empty(dir.Entries());
    }

    [Fact]
    public void LocateHonoursTheEnvironmentVariable()
    {
        var located = Ffmpeg.Locate(name => name == Ffmpeg.EnvironmentVariable ? "/opt/custom/bin/ffmpeg" : null);
        Assert.Equal("/opt/custom/bin/ffmpeg", located.FfmpegPath);
        Assert.False(located.IsAvailable);
        Assert.Contains("/opt/custom/bin/ffmpeg", located.UnavailableReason);
        Assert.Contains(Ffmpeg.EnvironmentVariable, located.UnavailableReason);
    }
}
