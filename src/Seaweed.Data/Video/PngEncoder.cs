using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Seaweed.Data.Video;

/// <summary>Writes one frame of a <see cref="VideoFrames"/> as an 8-bit RGB PNG without any native dependency.</summary>
public static class PngEncoder
{
    internal static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    // Large images are split over several IDAT chunks so no single chunk needs a huge buffer on read.
    private const int MaxIdatBytes = 1 << 18;

    public static byte[] Encode(VideoFrames video, int frame = 0, CompressionLevel level = CompressionLevel.Optimal)
    {
        using var ms = new MemoryStream();
        Write(video, frame, ms, level);
        return ms.ToArray();
    }

    public static void Write(VideoFrames video, int frame, Stream output, CompressionLevel level = CompressionLevel.Optimal)
    {
        ArgumentNullException.ThrowIfNull(video);
        ArgumentNullException.ThrowIfNull(output);
        var pixels = video.ReadFrame(frame);

        output.Write(Signature);
        Span<byte> ihdr = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, video.Width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr[4..], video.Height);
        ihdr[8] = 8;  // bit depth
        ihdr[9] = 2;  // colour type RGB
        ihdr[10] = 0; // deflate
        ihdr[11] = 0; // adaptive filtering
        ihdr[12] = 0; // no interlace
        WriteChunk(output, "IHDR", ihdr);

        byte[] compressed = Compress(FilterRows(pixels, video.Width, video.Height), level);
        for (int offset = 0; offset < compressed.Length || offset == 0; offset += MaxIdatBytes)
            WriteChunk(output, "IDAT", compressed.AsSpan(offset, Math.Min(MaxIdatBytes, compressed.Length - offset)));
        WriteChunk(output, "IEND", []);
    }

    /// <summary>Per row, the filter whose output has the smallest sum of absolute signed bytes: a cheap, standard proxy for compressibility.</summary>
    private static byte[] FilterRows(ReadOnlySpan<byte> pixels, int width, int height)
    {
        int stride = width * 3;
        long size = (long)height * (stride + 1);
        if (size > Array.MaxLength) throw new ArgumentException($"a {width}x{height} frame is too large for one PNG buffer");
        var filtered = new byte[size];
        var zeros = new byte[stride];
        var candidate = new byte[stride];
        for (int y = 0; y < height; y++)
        {
            var row = pixels.Slice(y * stride, stride);
            var prior = y == 0 ? zeros : pixels.Slice((y - 1) * stride, stride);
            var dst = filtered.AsSpan(y * (stride + 1) + 1, stride);
            long best = long.MaxValue;
            for (int type = 0; type < PngFilter.Count; type++)
            {
                PngFilter.Apply(type, row, prior, 3, candidate);
                long cost = 0;
                foreach (byte b in candidate) cost += b < 128 ? b : 256 - b;
                if (cost < best)
                {
                    best = cost;
                    filtered[y * (stride + 1)] = (byte)type;
                    candidate.CopyTo(dst);
                }
            }
        }
        return filtered;
    }

    private static byte[] Compress(byte[] data, CompressionLevel level)
    {
        using var ms = new MemoryStream();
        using (var z = new ZLibStream(ms, level, leaveOpen: true)) z.Write(data);
        return ms.ToArray();
    }

    private static void WriteChunk(Stream output, string type, ReadOnlySpan<byte> payload)
    {
        Span<byte> header = stackalloc byte[8];
        BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
        Encoding.ASCII.GetBytes(type, header[4..]);
        output.Write(header);
        output.Write(payload);
        uint crc = Crc32.Finish(Crc32.Append(Crc32.Append(Crc32.Start, header[4..]), payload));
        Span<byte> trailer = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(trailer, crc);
        output.Write(trailer);
    }
}
