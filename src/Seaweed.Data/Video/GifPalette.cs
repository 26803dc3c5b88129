namespace Seaweed.Data.Video;

/// <summary>
/// Up to 256 RGB colours for a GIF, and the nearest-colour mapping into them.
/// <see cref="Uniform"/> is a fixed 6×7×6 cube; <see cref="FromVideo"/> fits a palette to one video by median cut
/// (exact when the video has at most 256 distinct colours).
/// </summary>
public sealed class GifPalette
{
    private readonly byte[] _rgb;
    private readonly Dictionary<int, byte>? _exact;
    // Nearest entry per 6-bit-per-channel cell, filled on first use; -1 = not yet computed.
    private readonly short[] _cells = new short[1 << 18];

    private GifPalette(byte[] rgb, Dictionary<int, byte>? exact)
    {
        _rgb = rgb;
        _exact = exact;
        Array.Fill(_cells, (short)-1);
    }

    /// <summary>Number of colours (1..256).</summary>
    public int Count => _rgb.Length / 3;

    /// <summary>Packed R G B bytes, <see cref="Count"/> × 3.</summary>
    public ReadOnlySpan<byte> Colours => _rgb;

    /// <summary>A palette of the given colours, packed R G B.</summary>
    public static GifPalette FromColours(ReadOnlySpan<byte> rgb)
    {
        if (rgb.Length == 0 || rgb.Length % 3 != 0 || rgb.Length > 768)
            throw new ArgumentException($"a GIF palette needs 1..256 RGB triples, got {rgb.Length} bytes", nameof(rgb));
        var exact = new Dictionary<int, byte>();
        for (int i = 0; i < rgb.Length / 3; i++) exact.TryAdd(Pack(rgb[3 * i], rgb[3 * i + 1], rgb[3 * i + 2]), (byte)i);
        return new GifPalette(rgb.ToArray(), exact);
    }

    /// <summary>6 red × 7 green × 6 blue levels: green gets the extra level because the eye resolves it best.</summary>
    public static GifPalette Uniform()
    {
        var rgb = new byte[6 * 7 * 6 * 3];
        int i = 0;
        for (int r = 0; r < 6; r++)
            for (int g = 0; g < 7; g++)
                for (int b = 0; b < 6; b++)
                {
                    rgb[i++] = (byte)(r * 255 / 5);
                    rgb[i++] = (byte)(g * 255 / 6);
                    rgb[i++] = (byte)(b * 255 / 5);
                }
        return FromColours(rgb);
    }

    /// <summary>A palette fitted to every pixel of every frame of <paramref name="video"/>.</summary>
    public static GifPalette FromVideo(VideoFrames video, int maxColours = 256)
    {
        ArgumentNullException.ThrowIfNull(video);
        if (maxColours is < 2 or > 256) throw new ArgumentOutOfRangeException(nameof(maxColours), maxColours, "maxColours must be 2..256");
        var distinct = DistinctColours(video.Data, maxColours);
        return distinct is not null ? FromColours(distinct) : new GifPalette(MedianCut.Fit(video.Data, maxColours), null);
    }

    /// <summary>The index of the palette entry nearest to (r, g, b).</summary>
    public byte Map(byte r, byte g, byte b)
    {
        if (_exact is not null && _exact.TryGetValue(Pack(r, g, b), out byte hit)) return hit;
        int cell = (r >> 2) << 12 | (g >> 2) << 6 | (b >> 2);
        short idx = _cells[cell];
        if (idx < 0) _cells[cell] = idx = (short)Nearest((r & ~3) | 2, (g & ~3) | 2, (b & ~3) | 2);
        return (byte)idx;
    }

    private int Nearest(int r, int g, int b)
    {
        int best = 0, bestD = int.MaxValue;
        for (int i = 0; i < Count; i++)
        {
            int dr = _rgb[3 * i] - r, dg = _rgb[3 * i + 1] - g, db = _rgb[3 * i + 2] - b;
            int d = 2 * dr * dr + 4 * dg * dg + 3 * db * db;
            if (d < bestD) (best, bestD) = (i, d);
        }
        return best;
    }

    private static byte[]? DistinctColours(ReadOnlySpan<byte> data, int max)
    {
        var seen = new HashSet<int>();
        var list = new List<byte>();
        for (int i = 0; i < data.Length; i += 3)
        {
            if (!seen.Add(Pack(data[i], data[i + 1], data[i + 2]))) continue;
            if (seen.Count > max) return null;
            list.Add(data[i]); list.Add(data[i + 1]); list.Add(data[i + 2]);
        }
        return list.ToArray();
    }

    internal static int Pack(byte r, byte g, byte b) => r << 16 | g << 8 | b;
}
