using System.Buffers.Binary;

namespace Seaweed.Data.Video;

/// <summary>
/// Writes a <see cref="VideoFrames"/> as an animated GIF89a that loops forever: one global palette, full frames,
/// frame delays in centiseconds spread so their running total tracks the video's fps (GIF cannot go below 2 cs).
/// </summary>
public static class GifEncoder
{
    public static byte[] Encode(VideoFrames video, GifPalette? palette = null)
    {
        using var ms = new MemoryStream();
        Write(video, ms, palette);
        return ms.ToArray();
    }

    /// <param name="palette">Null fits a palette to the video (<see cref="GifPalette.FromVideo"/>).</param>
    public static void Write(VideoFrames video, Stream output, GifPalette? palette = null)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(output);
        if (video.Width > ushort.MaxValue || video.Height > ushort.MaxValue)
            throw new ArgumentException($"GIF frames are at most 65535 pixels a side; this video is {video.Width}x{video.Height}", nameof(video));
        palette ??= GifPalette.FromVideo(video);

        int tableBits = 1;
        while (1 << tableBits < palette.Count) tableBits++;
        int minCodeSize = Math.Max(2, tableBits);

        Span<byte> buf = stackalloc byte[19];
        output.Write("GIF89a"u8);
        BinaryPrimitives.WriteUInt16LittleEndian(buf, (ushort)video.Width);
        BinaryPrimitives.WriteUInt16LittleEndian(buf[2..], (ushort)video.Height);
        buf[4] = (byte)(0x80 | 0x70 | (tableBits - 1)); // global table present, 8-bit colour resolution, table size
        buf[5] = 0; // background index
        buf[6] = 0; // square pixels
        output.Write(buf[..7]);
        var table = new byte[3 << tableBits];
        palette.Colours.CopyTo(table);
        output.Write(table);

        // NETSCAPE2.0 application extension: loop count 0 = forever.
        output.Write([0x21, 0xFF, 0x0B]);
        output.Write("NETSCAPE2.0"u8);
        output.Write([0x03, 0x01, 0x00, 0x00, 0x00]);

        var indices = new byte[video.Width * video.Height];
        var lzw = new GifLzw();
        for (int t = 0; t < video.FrameCount; t++)
        {
            // Graphic control extension: disposal 1 (leave in place), delay, no transparency.
            output.Write([0x21, 0xF9, 0x04, 0x04]);
            BinaryPrimitives.WriteUInt16LittleEndian(buf, DelayCentiseconds(t, video.Fps));
            output.Write(buf[..2]);
            output.Write([0x00, 0x00]);

            buf[0] = 0x2C;
            BinaryPrimitives.WriteUInt16LittleEndian(buf[1..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(buf[3..], 0);
            BinaryPrimitives.WriteUInt16LittleEndian(buf[5..], (ushort)video.Width);
            BinaryPrimitives.WriteUInt16LittleEndian(buf[7..], (ushort)video.Height);
            buf[9] = 0; // no local table, not interlaced
            output.Write(buf[..10]);

            var frame = video.ReadFrame(t);
            for (int i = 0; i < indices.Length; i++) indices[i] = palette.Map(frame[3 * i], frame[3 * i + 1], frame[3 * i + 2]);
            lzw.Write(output, indices, minCodeSize);
        }
        output.WriteByte(0x3B);
    }

    internal static ushort DelayCentiseconds(int t, double fps)
    {
        double end = Math.Round(100.0 * (t + 1) / fps), start = Math.Round(100.0 * t / fps);
        return (ushort)Math.Clamp(end - start, 2, ushort.MaxValue);
    }
}
