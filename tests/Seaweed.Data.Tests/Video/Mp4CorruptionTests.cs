using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

public sealed class Mp4CorruptionTests
{
    private static async Task<VideoFormatException> DecodeFails(string path, string reasonFragment)
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        var e = await Assert.ThrowsAsync<VideoFormatException>(() => ffmpeg.DecodeAsync(path));
        Assert.Contains(Path.GetFileName(path), e.Message);
        Assert.Contains(reasonFragment, e.Message);
        return e;
    }

    [Fact]
    public async Task RandomBytesAreNotAVideo()
    {
        using var dir = new TempDir();
        var bytes = new byte[64 * 1024];
        new Random(3).NextBytes(bytes);
        await File.WriteAllBytesAsync(dir.File("random.mp4"), bytes);
        await DecodeFails(dir.File("random.mp4"), "not a video");
    }

    [Fact]
    public async Task AnEmptyFileIsNotAVideo()
    {
        using var dir = new TempDir();
        await File.WriteAllBytesAsync(dir.File("empty.mp4"), []);
        await DecodeFails(dir.File("empty.mp4"), "not a video");
    }

    [Fact]
    public async Task ATextFileRenamedMp4IsNotAVideo()
    {
        using var dir = new TempDir();
        await File.WriteAllTextAsync(dir.File("notes.mp4"), string.Join('\n', Enumerable.Repeat("these are meeting notes, not a video", 50)));
        var e = await DecodeFails(dir.File("notes.mp4"), "not a video");
        Assert.DoesNotContain("file:", e.Message);
    }

    [Fact]
    public async Task AFaststartMp4CutInHalfIsTruncatedNotShort()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        string path = dir.File("cut.mp4");
        await ffmpeg.EncodeAsync(TestMedia.Noise(64, 48, 40, seed: 5), path, new Mp4EncodeOptions(Preset: "ultrafast"));
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        var e = await DecodeFails(path, "truncated: the container declares 40 frames");
        Assert.Matches(@"declares 40 frames, \d+ could be decoded", e.Message);
    }

    [Fact]
    public async Task AnMp4WithItsIndexAtTheEndCutInHalfFailsToOpen()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        string path = dir.File("nomoov.mp4");
        await ffmpeg.EncodeAsync(TestMedia.Noise(64, 48, 40, seed: 6), path, new Mp4EncodeOptions(Preset: "ultrafast", FastStart: false));
        var bytes = await File.ReadAllBytesAsync(path);
        await File.WriteAllBytesAsync(path, bytes[..(bytes.Length / 2)]);

        await DecodeFails(path, "not a video");
    }
}
