namespace Seaweed.Data.Curation;

/// <summary>
/// What a signature keeps of one frame: a 63-bit DCT perceptual hash of the luma structure and a 3×3 grid of mean
/// Y, Cb, Cr. The hash only sees where the frame is lighter or darker, so it cannot tell a red circle from a blue one
/// on the same background; the grid supplies the colours and the overall brightness the hash discards.
/// Both are computed on the whole frame resampled to a fixed size, which makes them independent of resolution and
/// aspect ratio (a rescaled duplicate may have been stretched).
/// </summary>
internal static class FrameFingerprint
{
    public const int HashBits = 63;
    public const int Grid = 3;
    public const int LayoutBytes = Grid * Grid * 3;
    public const int ColourBytes = 5;

    // Backgrounds are desaturated (chroma under about 16); anything more colourful than this is an object.
    private const double ObjectChroma = 24;

    private const int HashSide = 32;
    private const int Band = 8;
    private static readonly double[,] Cosines = BuildCosines();

    /// <summary>The hash of the central <paramref name="keep"/> fraction of the frame (1 = the whole frame).</summary>
    public static ulong Hash(ReadOnlySpan<byte> frame, int width, int height, double keep)
    {
        var luma = Plane(frame, width, height, 0);
        var small = AreaResample(luma, width, height, HashSide, HashSide, keep);
        var coefficients = LowFrequencies(small);
        var sorted = (double[])coefficients.Clone();
        Array.Sort(sorted);
        double median = sorted[HashBits / 2];
        ulong hash = 0;
        for (int k = 0; k < HashBits; k++)
            if (coefficients[k] > median) hash |= 1UL << k;
        return hash;
    }

    /// <summary>Grid cells row-major, each as Y, Cb+128, Cr+128 rounded to bytes.</summary>
    public static void Layout(ReadOnlySpan<byte> frame, int width, int height, Span<byte> destination)
    {
        for (int channel = 0; channel < 3; channel++)
        {
            var cells = AreaResample(Plane(frame, width, height, channel), width, height, Grid, Grid, 1);
            for (int c = 0; c < cells.Length; c++)
                destination[c * 3 + channel] = Quantize(cells[c] + (channel == 0 ? 0 : 128));
        }
    }

    /// <summary>
    /// Where the colourful pixels are and what colour they are: pixels weighted by chroma above
    /// <see cref="ObjectChroma"/> give a mass (log-coded), a centroid (x, y as fractions of the frame) and a mean
    /// Cb, Cr. A 3×3 grid dilutes a small object into a cell; these moments keep its colour, size and position sharp.
    /// All zero when nothing in the frame is colourful.
    /// </summary>
    public static void Colour(ReadOnlySpan<byte> frame, int width, int height, Span<byte> destination)
    {
        double mass = 0, sx = 0, sy = 0, scb = 0, scr = 0;
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int i = 3 * (y * width + x);
                double cb = -0.168736 * frame[i] - 0.331264 * frame[i + 1] + 0.5 * frame[i + 2];
                double cr = 0.5 * frame[i] - 0.418688 * frame[i + 1] - 0.081312 * frame[i + 2];
                double w = Math.Sqrt(cb * cb + cr * cr) - ObjectChroma;
                if (w <= 0) continue;
                mass += w; sx += w * (x + 0.5); sy += w * (y + 0.5); scb += w * cb; scr += w * cr;
            }
        if (mass == 0)
        {
            destination[..ColourBytes].Clear();
            return;
        }
        destination[0] = Quantize(MassScale * (Math.Log(mass / (width * height * 128.0)) + MassRange));
        destination[1] = Quantize(255 * sx / mass / width);
        destination[2] = Quantize(255 * sy / mass / height);
        destination[3] = Quantize(scb / mass + 128);
        destination[4] = Quantize(scr / mass + 128);
    }

    /// <summary>Mass is coded as this many steps per e-fold from e^-7.9 (a few pixels) to 1 (a fully saturated frame).</summary>
    public const double MassScale = 32;

    private const double MassRange = 7.9;

    private static byte Quantize(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    /// <summary>One BT.601 plane: 0 = Y, 1 = Cb, 2 = Cr (chroma centred on zero).</summary>
    private static double[] Plane(ReadOnlySpan<byte> frame, int width, int height, int channel)
    {
        var (wr, wg, wb) = channel switch
        {
            0 => (0.299, 0.587, 0.114),
            1 => (-0.168736, -0.331264, 0.5),
            _ => (0.5, -0.418688, -0.081312),
        };
        var plane = new double[width * height];
        for (int i = 0; i < plane.Length; i++)
            plane[i] = wr * frame[3 * i] + wg * frame[3 * i + 1] + wb * frame[3 * i + 2];
        return plane;
    }

    /// <summary>Resamples the central <paramref name="keep"/> fraction of a plane by exact area overlap, so every
    /// source pixel counts in proportion to the part of it an output cell covers; works for shrinking and enlarging.</summary>
    private static double[] AreaResample(double[] source, int width, int height, int outWidth, int outHeight, double keep)
    {
        var columns = Weights(width, outWidth, keep);
        var rows = Weights(height, outHeight, keep);
        var result = new double[outWidth * outHeight];
        for (int oy = 0; oy < outHeight; oy++)
            for (int ox = 0; ox < outWidth; ox++)
            {
                double acc = 0;
                foreach (var (y, wy) in rows[oy])
                    foreach (var (x, wx) in columns[ox])
                        acc += wy * wx * source[y * width + x];
                result[oy * outWidth + ox] = acc;
            }
        return result;
    }

    /// <summary>For each output cell, the source indices it overlaps and their normalised overlap lengths.</summary>
    private static List<(int Index, double Weight)>[] Weights(int size, int outSize, double keep)
    {
        var weights = new List<(int, double)>[outSize];
        double step = size * keep / outSize, start = size * (1 - keep) / 2;
        for (int o = 0; o < outSize; o++)
        {
            double lo = start + o * step, hi = start + (o + 1) * step;
            weights[o] = [];
            for (int i = (int)Math.Floor(lo); i < Math.Min(size, (int)Math.Ceiling(hi)); i++)
            {
                double overlap = Math.Min(hi, i + 1) - Math.Max(lo, i);
                if (overlap > 0) weights[o].Add((i, overlap / step));
            }
        }
        return weights;
    }

    /// <summary>The 8×8 lowest DCT-II frequencies of a 32×32 plane without the DC term (mean brightness).</summary>
    private static double[] LowFrequencies(double[] plane)
    {
        var rowsDone = new double[HashSide * Band];
        for (int y = 0; y < HashSide; y++)
            for (int u = 0; u < Band; u++)
            {
                double acc = 0;
                for (int x = 0; x < HashSide; x++) acc += Cosines[u, x] * plane[y * HashSide + x];
                rowsDone[y * Band + u] = acc;
            }
        var result = new double[HashBits];
        for (int v = 0; v < Band; v++)
            for (int u = 0; u < Band; u++)
            {
                if (u == 0 && v == 0) continue;
                double acc = 0;
                for (int y = 0; y < HashSide; y++) acc += Cosines[v, y] * rowsDone[y * Band + u];
                result[v * Band + u - 1] = acc;
            }
        return result;
    }

    private static double[,] BuildCosines()
    {
        var table = new double[Band, HashSide];
        for (int u = 0; u < Band; u++)
            for (int x = 0; x < HashSide; x++)
                table[u, x] = Math.Cos(Math.PI * (2 * x + 1) * u / (2.0 * HashSide));
        return table;
    }
}
