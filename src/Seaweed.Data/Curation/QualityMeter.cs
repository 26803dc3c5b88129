namespace Seaweed.Data.Curation;

/// <summary>
/// Accumulates the per-frame measurements behind <see cref="QualityScores"/> over a clip's sampled frames. Its
/// buffers are sized once for the frame size, so adding a frame allocates nothing.
/// </summary>
internal sealed class QualityMeter
{
    // A Good object edge rises over one or two pixels (H.264 keeps chroma at half resolution, and rescaled copies are
    // a little softer); a Blurred one over five or more. Each edge is judged against its contrast over a baseline of
    // 2 × BaselineHalf − 1 = 9 pixels: long enough to hold most of a blurred edge's rise, short enough to stay inside
    // the thin arms of small shapes, which would otherwise read as steep. A baseline that grows with the frame size
    // measured no better on footage and worse at 64×64.
    private const int BaselineHalf = 5;

    // Objects are saturated and backgrounds desaturated, so a chroma edge is always an object's edge; the textured
    // backgrounds only make luma edges, which are smooth by construction and would read as blur. Luma edges therefore
    // count only where the chroma changes too. Minimum contrasts are in Y'CbCr levels over the baseline: every
    // object differs from every background by 56 or more in Cb or Cr, but some (green on grey) by under 10 in luma.
    private const float MinChromaEdge = 32;
    private const float MinLumaEdge = 16;
    private const float MinObjectChroma = 24;

    // The sharpest edges decide: a Good clip keeps some crisp edges however compression or rescaling softens the
    // rest, a Blurred one has none. A high percentile rather than the maximum, so that a few steep compression
    // artefacts on a blurred edge do not count; on footage the 95th separated Good from Blurred by a factor of 1.35
    // (the median, by 1.1). Luma and chroma are kept apart because they fail differently: chroma is softened by
    // strong compression, luma by rescaling, and luma edges can be too few to trust.
    private const double SharpnessQuantile = 0.95;
    private const int SteepnessBins = 200;
    private const double SteepnessBinWidth = 0.01;

    // Median |response| of the [1 -2 1; -2 4 -2; 1 -2 1] filter to Gaussian noise of sigma s is 0.6745 × 6 s.
    private const double NoiseScale = 6 * 0.6745;
    private const int NoiseBins = 1024;

    // A stroke pixel is brighter than the pixels two away on both sides (horizontally or vertically) by this much,
    // in luma levels: text is near-white on a near-black band, so even after compression it clears this easily.
    private const float MinStrokeContrast = 60;
    private const int StrokeReach = 2;

    private readonly int width, height, bandRows;
    private readonly float[] luma, cb, cr;
    private readonly double[] lumaSteepness = new double[SteepnessBins], chromaSteepness = new double[SteepnessBins];
    private readonly long[] noise = new long[NoiseBins];
    private readonly long[] strokeRows;
    private double lumaSum;
    private int frames;

    public QualityMeter(int width, int height)
    {
        this.width = width;
        this.height = height;
        bandRows = Math.Max(4, height / 8);
        luma = new float[width * height];
        cb = new float[width * height];
        cr = new float[width * height];
        strokeRows = new long[height];
    }

    public void Add(ReadOnlySpan<byte> frame)
    {
        ToPlanes(frame);
        for (int y = 0; y < height; y++) ScanEdges(y * width, 1, width);
        for (int x = 0; x < width; x++) ScanEdges(x, width, height);
        CountNoise();
        CountStrokes();
        frames++;
    }

    public double Brightness => lumaSum / ((double)frames * width * height);

    public double Sharpness
    {
        get
        {
            double y = Quantile(lumaSteepness, SharpnessQuantile), c = Quantile(chromaSteepness, SharpnessQuantile);
            return double.IsNaN(y) ? (double.IsNaN(c) ? 0 : c) : double.IsNaN(c) ? y : Math.Sqrt(y * c);
        }
    }

    public double Noise
    {
        get
        {
            long total = 0;
            foreach (long n in noise) total += n;
            if (total == 0) return 0;
            double half = total / 2.0, below = 0;
            for (int b = 0; b < NoiseBins; b++)
            {
                if (below + noise[b] >= half) return (b + (half - below) / noise[b]) / NoiseScale;
                below += noise[b];
            }
            return NoiseBins / NoiseScale;
        }
    }

    public double Clutter
    {
        get
        {
            long window = 0, best = 0;
            for (int y = 0; y < height; y++)
            {
                window += strokeRows[y];
                if (y >= bandRows) window -= strokeRows[y - bandRows];
                best = Math.Max(best, window);
            }
            return 100.0 * best / ((double)frames * Math.Min(bandRows, height) * width);
        }
    }

    /// <summary>Percentage of pixels where some channel differs by more than <paramref name="levels"/>.</summary>
    public static double ChangedPercent(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int levels)
    {
        int changed = 0;
        for (int i = 0; i < a.Length; i += 3)
            if (Math.Abs(a[i] - b[i]) > levels || Math.Abs(a[i + 1] - b[i + 1]) > levels || Math.Abs(a[i + 2] - b[i + 2]) > levels)
                changed++;
        return 300.0 * changed / a.Length;
    }

    private void ToPlanes(ReadOnlySpan<byte> frame)
    {
        double sum = 0;
        for (int p = 0, i = 0; p < luma.Length; p++, i += 3)
        {
            float r = frame[i], g = frame[i + 1], b = frame[i + 2];
            float y = 0.299f * r + 0.587f * g + 0.114f * b;
            luma[p] = y;
            cb[p] = -0.168736f * r - 0.331264f * g + 0.5f * b;
            cr[p] = 0.5f * r - 0.418688f * g - 0.081312f * b;
            sum += y;
        }
        lumaSum += sum;
    }

    /// <summary>Edges along one line of pixels (a row when stride is 1, a column when it is the width).</summary>
    private void ScanEdges(int start, int stride, int length)
    {
        ScanPlane(chromaSteepness, cb, start, stride, length, MinChromaEdge, lumaEdge: false);
        ScanPlane(chromaSteepness, cr, start, stride, length, MinChromaEdge, lumaEdge: false);
        ScanPlane(lumaSteepness, luma, start, stride, length, MinLumaEdge, lumaEdge: true);
    }

    /// <summary>
    /// An edge lies between pixels x and x+1 when the plane's contrast over the baseline around it is at least
    /// <paramref name="minContrast"/> and this step is the largest within the baseline (so each edge counts once, at
    /// its steepest). Its steepness, step / contrast, goes into the histogram weighted by the contrast.
    /// </summary>
    private void ScanPlane(double[] histogram, float[] plane, int start, int stride, int length, float minContrast, bool lumaEdge)
    {
        const int half = BaselineHalf;
        float minStep = minContrast / (2 * half);
        for (int x = half - 1; x + half < length; x++)
        {
            int at = start + x * stride;
            float step = plane[at + stride] - plane[at];
            // An edge of enough contrast within the baseline has at least one step this large: most pixels stop here.
            if (Math.Abs(step) < minStep) continue;
            int lo = at - (half - 1) * stride, hi = at + half * stride;
            float contrast = plane[hi] - plane[lo];
            float size = Math.Abs(contrast);
            if (size < minContrast || (step > 0) != (contrast > 0)) continue;
            if (lumaEdge && Math.Abs(cb[hi] - cb[lo]) + Math.Abs(cr[hi] - cr[lo]) < MinObjectChroma) continue;
            if (!IsSteepest(plane, lo, hi, at, stride, Math.Abs(step))) continue;
            int bin = Math.Min(SteepnessBins - 1, (int)(Math.Abs(step) / size / SteepnessBinWidth));
            histogram[bin] += size;
        }
    }

    /// <summary>True when no other step in [lo, hi] is larger (ties go to the first).</summary>
    private static bool IsSteepest(float[] plane, int lo, int hi, int at, int stride, float step)
    {
        for (int k = lo; k < hi; k += stride)
        {
            if (k == at) continue;
            float other = Math.Abs(plane[k + stride] - plane[k]);
            if (k < at ? other >= step : other > step) return false;
        }
        return true;
    }

    private static double Quantile(double[] histogram, double q)
    {
        double total = 0;
        foreach (double w in histogram) total += w;
        if (total == 0) return double.NaN;
        double acc = 0;
        for (int b = 0; b < histogram.Length; b++)
        {
            acc += histogram[b];
            if (acc >= q * total) return (b + 0.5) * SteepnessBinWidth;
        }
        return (histogram.Length - 0.5) * SteepnessBinWidth;
    }

    private void CountNoise()
    {
        int w = width;
        for (int y = 1; y + 1 < height; y++)
            for (int x = 1; x + 1 < w; x++)
            {
                int a = y * w + x;
                float response = luma[a - w - 1] + luma[a - w + 1] + luma[a + w - 1] + luma[a + w + 1]
                    - 2 * (luma[a - w] + luma[a - 1] + luma[a + 1] + luma[a + w]) + 4 * luma[a];
                noise[Math.Min(NoiseBins - 1, (int)Math.Abs(response))]++;
            }
    }

    private void CountStrokes()
    {
        int w = width, r = StrokeReach;
        for (int y = r; y + r < height; y++)
        {
            int count = 0;
            for (int x = r; x + r < w; x++)
            {
                int a = y * w + x;
                float v = luma[a];
                if (v - Math.Max(luma[a - r], luma[a + r]) > MinStrokeContrast || v - Math.Max(luma[a - r * w], luma[a + r * w]) > MinStrokeContrast)
                    count++;
            }
            strokeRows[y] += count;
        }
    }
}
