using System.Buffers.Binary;
using Seaweed.Data.Video;

namespace Seaweed.Data.Tests.Video;

public sealed class PngTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(7, 5)]
    [InlineData(33, 17)]
    [InlineData(128, 3)]
    public void RoundTripIsExactForNoiseAndSmoothImages(int width, int height)
    {
        foreach (var image in new[] { TestMedia.Noise(width, height, 1, seed: width), TestMedia.MovingPattern(width, height, 1, 24, seed: height) })
        {
            var back = PngDecoder.Decode(PngEncoder.Encode(image), "x.png");
            Assert.Equal((width, height, 1), (back.Width, back.Height, back.FrameCount));
            Assert.Equal(image.Data, back.Data);
        }
    }

    [Fact]
    public void EncodesAnyFrameOfAVideo()
    {
        var video = TestMedia.Noise(9, 4, 3);
        Assert.Equal(video.ReadFrame(2).ToArray(), PngDecoder.Decode(PngEncoder.Encode(video, 2), "f.png").Data);
    }

    [Fact]
    public void SmoothImagesCompress()
    {
        var image = TestMedia.MovingPattern(256, 256, 1, 24);
        Assert.True(PngEncoder.Encode(image).Length < image.Data.Length / 4);
    }

    [Theory]
    [InlineData("rgb24")]
    [InlineData("rgba")]
    [InlineData("gray")]
    [InlineData("pal8")]
    public void ReadsPngsWrittenByFfmpegLikeFfmpegDoes(string pixelFormat)
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        string png = dir.File($"testsrc-{pixelFormat}.png");
        TestMedia.RunFfmpeg(ffmpeg, "-f", "lavfi", "-i", "testsrc=size=33x17", "-frames:v", "1", "-pix_fmt", pixelFormat, png);
        byte[] expected = TestMedia.RunFfmpeg(ffmpeg, "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-");

        var ours = PngDecoder.Decode(File.ReadAllBytes(png), png);

        Assert.Equal((33, 17), (ours.Width, ours.Height));
        Assert.Equal(expected, ours.Data);
    }

    [Fact]
    public void FfmpegReadsOurPngsExactly()
    {
        var ffmpeg = TestMedia.RequireFfmpeg();
        using var dir = new TempDir();
        var image = TestMedia.Noise(31, 9, 1, seed: 4);
        string png = dir.File("ours.png");
        File.WriteAllBytes(png, PngEncoder.Encode(image));
        Assert.Equal(image.Data, TestMedia.RunFfmpeg(ffmpeg, "-i", png, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"));
    }

    [Fact]
    public void AFlippedByteFailsTheCrcNamingTheFileAndChunk()
    {
        byte[] png = PngEncoder.Encode(TestMedia.Noise(16, 16, 1));
        png[png.Length / 2] ^= 0x40;
        var e = Assert.Throws<VideoFormatException>(() => PngDecoder.Decode(png, "/data/frames/broken.png"));
        Assert.StartsWith("broken.png: corrupt: CRC mismatch in the IDAT chunk", e.Message);
    }

    [Fact]
    public void ATruncatedPngIsReportedAsTruncated()
    {
        byte[] png = PngEncoder.Encode(TestMedia.Noise(16, 16, 1));
        var e = Assert.Throws<VideoFormatException>(() => PngDecoder.Decode(png.AsSpan(0, png.Length / 2), "half.png"));
        Assert.Contains("half.png: truncated", e.Message);
    }

    [Fact]
    public void NonPngsAreRejected()
    {
        Assert.Contains("not a PNG", Assert.Throws<VideoFormatException>(() => PngDecoder.Decode("hello, world"u8, "text.png")).Message);
        Assert.Contains("empty", Assert.Throws<VideoFormatException>(() => PngDecoder.Decode([], "empty.png")).Message);
    }

    [Fact]
    public void ReadSizeReadsTheHeaderAloneAndChecksIt()
    {
        byte[] png = PngEncoder.Encode(TestMedia.Noise(7, 5, 1));
        Assert.Equal((7, 5), PngDecoder.ReadSize(png.AsSpan(0, 8 + 25), "head.png")); // signature + IHDR only
        png[17]++; // width, so the IHDR CRC no longer matches
        Assert.Contains("CRC mismatch in the IHDR", Assert.Throws<VideoFormatException>(() => PngDecoder.ReadSize(png, "bad.png")).Message);
        Assert.Contains("not a PNG", Assert.Throws<VideoFormatException>(() => PngDecoder.ReadSize("hello, world"u8, "text.png")).Message);
    }

    [Fact]
    public void UnsupportedBitDepthIsNamed()
    {
        byte[] png = PngEncoder.Encode(TestMedia.Noise(4, 4, 1));
        png[8 + 8 + 8] = 16; // IHDR bit depth
        uint crc = Crc32.Compute(png.AsSpan(12, 17));
        BinaryPrimitives.WriteUInt32BigEndian(png.AsSpan(29), crc);
        Assert.Contains("bit depth 16", Assert.Throws<VideoFormatException>(() => PngDecoder.Decode(png, "deep.png")).Message);
    }

    [Fact]
    public void Crc32MatchesTheStandardCheckValue() =>
        Assert.Equal(0xCBF43926u, Crc32.Compute("123456789"u8));

    [Fact]
    public async Task MissingFileIsFileNotFound()
    {
        var e = await Assert.ThrowsAsync<FileNotFoundException>(() => PngDecoder.ReadAsync("/nonexistent/frame.png"));
        Assert.Contains("frame.png", e.Message);
    }
}
