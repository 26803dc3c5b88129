namespace Seaweed.Data.Video;

/// <summary>Frame rates as the rationals ffmpeg wants: NTSC rates become n×1000/1001 exactly, not a rounded decimal.</summary>
internal static class FrameRate
{
    public static (long Num, long Den) ToRational(double fps)
    {
        if (!double.IsFinite(fps) || fps <= 0) throw new ArgumentOutOfRangeException(nameof(fps), fps, "fps must be a positive number");
        if (Math.Abs(fps - Math.Round(fps)) < 1e-9) return ((long)Math.Round(fps), 1);
        double ntsc = fps * 1001 / 1000;
        if (Math.Abs(ntsc - Math.Round(ntsc)) < 1e-6) return ((long)Math.Round(ntsc) * 1000, 1001);

        // Best rational approximation by continued fractions, denominator bounded.
        const long maxDen = 100_000;
        long h0 = 0, h1 = 1, k0 = 1, k1 = 0;
        double x = fps;
        for (int i = 0; i < 64; i++)
        {
            long a = (long)Math.Floor(x);
            long h2 = a * h1 + h0, k2 = a * k1 + k0;
            if (k2 > maxDen) break;
            (h0, h1, k0, k1) = (h1, h2, k1, k2);
            double frac = x - a;
            if (frac < 1e-12 || Math.Abs((double)h1 / k1 - fps) < 1e-12) break;
            x = 1 / frac;
        }
        return (h1, k1);
    }

    public static string Format(double fps)
    {
        var (num, den) = ToRational(fps);
        return $"{num}/{den}";
    }

    /// <summary>Parses ffprobe's "num/den"; null for "0/0", "N/A" or anything not a positive rate.</summary>
    public static (int Num, int Den)? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var parts = text.Split('/');
        if (parts.Length is < 1 or > 2 || !int.TryParse(parts[0], out int num)) return null;
        int den = 1;
        if (parts.Length == 2 && !int.TryParse(parts[1], out den)) return null;
        return num > 0 && den > 0 ? (num, den) : null;
    }
}
