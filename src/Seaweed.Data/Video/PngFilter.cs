namespace Seaweed.Data.Video;

/// <summary>The five PNG scanline filters (type 0 None … 4 Paeth), shared by the encoder and decoder.</summary>
internal static class PngFilter
{
    public const int Count = 5;

    public static byte Paeth(byte a, byte b, byte c)
    {
        int p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        if (pa <= pb && pa <= pc) return a;
        return pb <= pc ? b : c;
    }

    /// <summary>Writes filter <paramref name="type"/> of <paramref name="row"/> into <paramref name="dst"/>; prior is all zeros for the first row.</summary>
    public static void Apply(int type, ReadOnlySpan<byte> row, ReadOnlySpan<byte> prior, int bpp, Span<byte> dst)
    {
        for (int i = 0; i < row.Length; i++)
        {
            byte a = i >= bpp ? row[i - bpp] : (byte)0;
            byte b = prior[i];
            byte c = i >= bpp ? prior[i - bpp] : (byte)0;
            dst[i] = type switch
            {
                0 => row[i],
                1 => (byte)(row[i] - a),
                2 => (byte)(row[i] - b),
                3 => (byte)(row[i] - ((a + b) >> 1)),
                _ => (byte)(row[i] - Paeth(a, b, c)),
            };
        }
    }

    /// <summary>Reverses filter <paramref name="type"/> in place; <paramref name="row"/> holds the filtered bytes on entry.</summary>
    public static bool Undo(int type, Span<byte> row, ReadOnlySpan<byte> prior, int bpp)
    {
        switch (type)
        {
            case 0:
                return true;
            case 1:
                for (int i = bpp; i < row.Length; i++) row[i] += row[i - bpp];
                return true;
            case 2:
                for (int i = 0; i < row.Length; i++) row[i] += prior[i];
                return true;
            case 3:
                for (int i = 0; i < row.Length; i++)
                    row[i] += (byte)(((i >= bpp ? row[i - bpp] : 0) + prior[i]) >> 1);
                return true;
            case 4:
                for (int i = 0; i < row.Length; i++)
                    row[i] += i >= bpp ? Paeth(row[i - bpp], prior[i], prior[i - bpp]) : prior[i];
                return true;
            default:
                return false;
        }
    }
}
