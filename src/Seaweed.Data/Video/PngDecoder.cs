using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace Seaweed.Data.Video;

/// <summary>
/// Reads a non-interlaced 8-bit PNG (grey, grey+alpha, RGB, RGBA, palette) into a one-frame <see cref="VideoFrames"/>.
/// Alpha is dropped; grey is replicated to R, G and B. Every chunk's CRC is checked.
/// </summary>
public static class PngDecoder
{
    /// <summary>The frame rate given to a decoded image when the caller names none; a PNG carries no timing.</summary>
    public const double DefaultFps = 24;

    public static async Task<VideoFrames> ReadAsync(string path, double fps = DefaultFps, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: no such PNG file", path);
        byte[] bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
        return Decode(bytes, path, fps);
    }

    /// <param name="name">The file name used in error messages.</param>
    public static VideoFrames Decode(ReadOnlySpan<byte> png, string name, double fps = DefaultFps)
    {
        CheckSignature(png, name);
        Header? header = null;
        byte[]? palette = null;
        using var idat = new MemoryStream();
        bool ended = false;
        int pos = 8;
        while (!ended)
        {
            string type = Chunk(png, pos, name, out var payload);
            if (header is null && type != "IHDR") throw new VideoFormatException(name, $"corrupt: the first chunk is {type}, not IHDR");
            switch (type)
            {
                case "IHDR":
                    header = ReadHeader(payload, name);
                    break;
                case "PLTE":
                    if (payload.Length % 3 != 0 || payload.Length == 0 || payload.Length > 768)
                        throw new VideoFormatException(name, $"corrupt: PLTE has {payload.Length} bytes, not 3 per entry for 1..256 entries");
                    palette = payload.ToArray();
                    break;
                case "IDAT":
                    idat.Write(payload);
                    break;
                case "IEND":
                    ended = true;
                    break;
                default:
                    // Bit 5 of the first letter clear marks a chunk the decoder must understand.
                    if ((type[0] & 0x20) == 0) throw new VideoFormatException(name, $"unsupported critical chunk {type}");
                    break;
            }
            pos += 12 + payload.Length;
        }

        var h = header!.Value;
        if (h.ColourType == 3 && palette is null) throw new VideoFormatException(name, "corrupt: a palette image without a PLTE chunk");
        if (idat.Length == 0) throw new VideoFormatException(name, "corrupt: no IDAT image data");
        byte[] raw = Inflate(idat, h, name);
        return ToRgb(raw, h, palette, name, fps);
    }

    /// <summary>
    /// The width and height its IHDR chunk declares, read without decoding anything else, so that a caller can refuse
    /// a size before <see cref="Decode"/> allocates for it (a small file can declare a huge image).
    /// </summary>
    public static (int Width, int Height) ReadSize(ReadOnlySpan<byte> png, string name)
    {
        CheckSignature(png, name);
        string type = Chunk(png, PngEncoder.Signature.Length, name, out var payload);
        if (type != "IHDR") throw new VideoFormatException(name, $"corrupt: the first chunk is {type}, not IHDR");
        var header = ReadHeader(payload, name);
        return (header.Width, header.Height);
    }

    private static void CheckSignature(ReadOnlySpan<byte> png, string name)
    {
        if (png.Length < 8 || !png[..8].SequenceEqual(PngEncoder.Signature))
            throw new VideoFormatException(name, png.Length == 0 ? "not a PNG: the file is empty" : "not a PNG: the 8-byte signature is missing");
    }

    /// <summary>The type of the chunk at <paramref name="pos"/>, its payload once its length and CRC are checked.</summary>
    private static string Chunk(ReadOnlySpan<byte> png, int pos, string name, out ReadOnlySpan<byte> payload)
    {
        if (pos + 12 > png.Length) throw new VideoFormatException(name, $"truncated: no IEND chunk, the file ends at byte {png.Length}");
        uint length = BinaryPrimitives.ReadUInt32BigEndian(png[pos..]);
        string type = Encoding.ASCII.GetString(png.Slice(pos + 4, 4));
        if (length > int.MaxValue || pos + 12L + length > png.Length)
            throw new VideoFormatException(name, $"truncated: the {type} chunk at byte {pos} declares {length} bytes, past the end of the file");
        payload = png.Slice(pos + 8, (int)length);
        uint stored = BinaryPrimitives.ReadUInt32BigEndian(png[(pos + 8 + (int)length)..]);
        if (Crc32.Compute(png.Slice(pos + 4, 4 + (int)length)) != stored)
            throw new VideoFormatException(name, $"corrupt: CRC mismatch in the {type} chunk at byte {pos}");
        return type;
    }

    private readonly record struct Header(int Width, int Height, byte ColourType)
    {
        public int Channels => ColourType switch { 0 => 1, 2 => 3, 3 => 1, 4 => 2, _ => 4 };
        public int Stride => Width * Channels;
    }

    private static Header ReadHeader(ReadOnlySpan<byte> p, string name)
    {
        if (p.Length != 13) throw new VideoFormatException(name, $"corrupt: IHDR has {p.Length} bytes, not 13");
        int width = BinaryPrimitives.ReadInt32BigEndian(p);
        int height = BinaryPrimitives.ReadInt32BigEndian(p[4..]);
        byte depth = p[8], colour = p[9];
        if (width <= 0 || height <= 0) throw new VideoFormatException(name, $"corrupt: IHDR size {width}x{height}");
        if (colour is not (0 or 2 or 3 or 4 or 6)) throw new VideoFormatException(name, $"corrupt: IHDR colour type {colour}");
        if (depth != 8) throw new VideoFormatException(name, $"unsupported bit depth {depth}: only 8-bit PNGs are read");
        if (p[10] != 0 || p[11] != 0) throw new VideoFormatException(name, $"corrupt: IHDR compression {p[10]} / filter method {p[11]}");
        if (p[12] != 0) throw new VideoFormatException(name, "unsupported: interlaced (Adam7) PNG");
        if ((long)width * height * 4 + height > Array.MaxLength) throw new VideoFormatException(name, $"unsupported: {width}x{height} is too large to decode in memory");
        return new Header(width, height, colour);
    }

    private static byte[] Inflate(MemoryStream idat, Header h, string name)
    {
        var raw = new byte[(long)h.Height * (h.Stride + 1)];
        idat.Position = 0;
        try
        {
            using var z = new ZLibStream(idat, CompressionMode.Decompress);
            int read = 0;
            while (read < raw.Length)
            {
                int n = z.Read(raw, read, raw.Length - read);
                if (n == 0) throw new VideoFormatException(name, $"truncated: image data inflates to {read} bytes, {h.Width}x{h.Height} needs {raw.Length}");
                read += n;
            }
        }
        catch (InvalidDataException e)
        {
            throw new VideoFormatException(name, $"corrupt: image data does not inflate ({e.Message})", e);
        }
        return raw;
    }

    private static VideoFrames ToRgb(byte[] raw, Header h, byte[]? palette, string name, double fps)
    {
        int stride = h.Stride, bpp = h.Channels;
        var video = new VideoFrames(h.Width, h.Height, 1, fps);
        var rgb = video.Frame(0);
        var zeros = new byte[stride];
        for (int y = 0; y < h.Height; y++)
        {
            int start = y * (stride + 1);
            var row = raw.AsSpan(start + 1, stride);
            var prior = y == 0 ? zeros : raw.AsSpan(start - stride, stride);
            if (!PngFilter.Undo(raw[start], row, prior, bpp))
                throw new VideoFormatException(name, $"corrupt: row {y} has filter type {raw[start]}, not 0..4");
            var dst = rgb.Slice(y * h.Width * 3, h.Width * 3);
            for (int x = 0; x < h.Width; x++)
            {
                var px = row.Slice(x * bpp, bpp);
                switch (h.ColourType)
                {
                    case 0 or 4:
                        dst[3 * x] = dst[3 * x + 1] = dst[3 * x + 2] = px[0];
                        break;
                    case 3:
                        int at = px[0] * 3;
                        if (at + 2 >= palette!.Length) throw new VideoFormatException(name, $"corrupt: pixel ({x}, {y}) uses palette entry {px[0]} of {palette.Length / 3}");
                        palette.AsSpan(at, 3).CopyTo(dst.Slice(3 * x, 3));
                        break;
                    default:
                        px[..3].CopyTo(dst.Slice(3 * x, 3));
                        break;
                }
            }
        }
        return video;
    }
}
