using Seaweed.Data.Imaging;

namespace Seaweed.Data.Curation;

/// <summary>
/// Accumulates the per-frame measurements behind <see cref="QualityScores"/> over a clip's sampled frames. Its
/// buffers are sized once for the frame size, so adding a frame allocates nothing.
/// </summary>
internal sealed class QualityMeter
{
    // Sharpness is the width of object edges. An edge is found at its steepest two-pixel step within a window of
    // 2 × BaselineHalf − 1 = 9 pixels, so each edge counts once; from there its rise is followed outwards while it
    // keeps climbing: by more than FlatLevels over two pixels (one-pixel plateaus are what nearest-neighbour chroma
    // upsampling leaves inside a rise) and by more than FlatFraction of the steepest step (so that a crisp edge is not
    // followed on up a sloping background), at most MinReach pixels or 1/12 of the short side each way, whichever is
    // more (blur is in proportion to the frame). Its width is the distance between the points at 20% and 80% of that
    // whole rise: a Gaussian blur of sigma s gives 1.68 s whatever the contrast, a clean step 0.6 pixels. Following
    // the whole rise, rather than judging the steepest step against the contrast over a fixed baseline, keeps wide
    // blurred edges and edges on sloping backgrounds from reading steep, and gives the same width whether the decoder
    // repeats chroma samples or interpolates them.
    private const int BaselineHalf = 5;
    private const int MinReach = 8;
    private const float FlatLevels = 1;
    private const float FlatFraction = 0.05f;

    // Objects are saturated and backgrounds desaturated, so a chroma edge is always an object's edge; the textured
    // backgrounds only make luma edges, which are smooth by construction and would read as blur. Luma edges therefore
    // count only where the chroma changes too. Minimum contrasts are in Y'CbCr levels over the whole rise: every
    // object differs from every background by 56 or more in Cb or Cr (the chroma minimum stays just below, to drop the
    // weak chroma edges that compression smears), but some (green on grey) by under 10 in luma.
    private const float MinLumaEdge = 16;
    private const float MinChromaEdge = 48;
    private const float MinObjectChroma = 24;

    // Widths are measured along rows and columns; an edge crossing the scan line at an angle is wider along it by
    // 1 / cos, so the width is scaled back by the cosine, and edges more oblique than 45° are left to the other scan.
    private const float MinCosine = 0.7071f;

    // The sharpest edges decide: a Good clip keeps some crisp edges however compression or rescaling softens the
    // rest, a Blurred one has none. Edges are weighted by contrast, as weak ones suffer most from quantisation, and
    // luma edges count double: chroma is stored at half resolution, and on the pipeline's footage (interpolated
    // chroma, CRF up to 30) a Good clip's chroma edges are up to 3 pixels wide at 20–80%, a blurred one's 3.4 or
    // more, while its luma edges stay near 1.5. The score reads the width below which 15% of that weight lies; on
    // footage that separated Good from Blurred a little better than the 5%, 10%, 20% or 25% points did.
    private const float LumaWeight = 2;
    private const double SharpestFraction = 0.15;
    private const int WidthBins = 640;
    private const double WidthBinWidth = 0.025;

    // Median |response| of the [1 -2 1; -2 4 -2; 1 -2 1] filter to Gaussian noise of sigma s is 0.6745 × 6 s.
    private const double NoiseScale = 6 * 0.6745;
    private const int NoiseBins = 1024;

    // A stroke pixel is brighter than the pixels two away on both sides (horizontally or vertically) by this much,
    // in luma levels: text is near-white on a near-black band, so even after compression it clears this easily.
    private const float MinStrokeContrast = 60;
    private const int StrokeReach = 2;

    private readonly int width, height, bandRows, maxReach;
    private readonly float[] luma, cb, cr;
    private readonly double[] edgeWidths = new double[WidthBins];
    private readonly long[] noise = new long[NoiseBins];
    private readonly long[] strokeRows;
    private double lumaSum;
    private int frames;

    public QualityMeter(int width, int height)
    {
        this.width = width;
        this.height = height;
        bandRows = Math.Max(4, height / 8);
        maxReach = Math.Max(MinReach, Math.Min(width, height) / 12);
        luma = new float[width * height];
        cb = new float[width * height];
        cr = new float[width * height];
        strokeRows = new long[height];
    }

    public void Add(ReadOnlySpan<byte> frame)
    {
        ToPlanes(frame);
        // The first and last line of each direction have no neighbour on one side to tell the edge's angle by.
        for (int y = 1; y + 1 < height; y++) ScanEdges(y * width, 1, width, width);
        for (int x = 1; x + 1 < width; x++) ScanEdges(x, width, height, 1);
        CountNoise();
        CountStrokes();
        frames++;
    }

    public double Brightness => lumaSum / ((double)frames * width * height);

    /// <summary>Short side / (100 × the width of the sharpest edges): the reciprocal of their width in percent of the
    /// short side, since a blur that spoils a clip is one in proportion to its size. 0 without object edges.</summary>
    public double Sharpness
    {
        get
        {
            double total = 0;
            foreach (double w in edgeWidths) total += w;
            if (total == 0) return 0;
            double acc = 0;
            int bin = 0;
            for (; bin < WidthBins - 1; bin++)
            {
                acc += edgeWidths[bin];
                if (acc >= SharpestFraction * total) break;
            }
            return Math.Min(width, height) / (100 * (bin + 0.5) * WidthBinWidth);
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
            var (y, u, v) = FrameOps.Ycc(frame[i], frame[i + 1], frame[i + 2]);
            luma[p] = (float)y;
            cb[p] = (float)u;
            cr[p] = (float)v;
            sum += luma[p];
        }
        lumaSum += sum;
    }

    /// <summary>Edges along one line of pixels: a row when stride is 1 and across the width, a column when stride is
    /// the width and across 1.</summary>
    private void ScanEdges(int start, int stride, int length, int across)
    {
        ScanPlane(luma, start, stride, length, across, MinLumaEdge, lumaEdge: true);
        ScanPlane(cb, start, stride, length, across, MinChromaEdge, lumaEdge: false);
        ScanPlane(cr, start, stride, length, across, MinChromaEdge, lumaEdge: false);
    }

    /// <summary>
    /// Each edge of enough contrast along the line goes into the width histogram, weighted by its contrast (see the
    /// constants for how an edge is found and measured).
    /// </summary>
    private void ScanPlane(float[] plane, int start, int stride, int length, int across, float minContrast, bool lumaEdge)
    {
        const int half = BaselineHalf;
        // A rise of enough contrast over the most pixels followed has a two-pixel step at least this steep: most
        // pixels stop here.
        float minStep = 2 * minContrast / (2 * maxReach + 2);
        int two = 2 * stride;
        for (int x = half - 1; x + half < length; x++)
        {
            int at = start + x * stride;
            float step = plane[at + two] - plane[at];
            if (Math.Abs(step) < minStep || !IsSteepest(plane, at - (half - 1) * stride, at + (half - 2) * stride, at, stride, Math.Abs(step)))
                continue;
            float sign = step > 0 ? 1 : -1, flat = Math.Max(FlatLevels, FlatFraction * Math.Abs(step));
            int lo = x, hi = x + 2;
            while (lo > 0 && x - lo < maxReach && (plane[start + lo * stride] - plane[start + Math.Max(0, lo - 2) * stride]) * sign > flat) lo--;
            while (hi < length - 1 && hi - x - 2 < maxReach && (plane[start + Math.Min(length - 1, hi + 2) * stride] - plane[start + hi * stride]) * sign > flat) hi++;
            // A rise cut short by the end of the line (an object leaving the frame) would read narrower than it is.
            if (lo == 0 || hi == length - 1) continue;
            int a = start + lo * stride, b = start + hi * stride;
            float contrast = (plane[b] - plane[a]) * sign;
            if (contrast < minContrast) continue;
            if (lumaEdge && Math.Abs(cb[b] - cb[a]) + Math.Abs(cr[b] - cr[a]) < MinObjectChroma) continue;

            int centre = at + stride;
            float along = step / 2, sideways = (plane[centre + across] - plane[centre - across]) / 2;
            float cosine = Math.Abs(along) / MathF.Sqrt(along * along + sideways * sideways);
            if (cosine < MinCosine) continue;
            float rise = Crossing(plane, a, hi - lo, stride, plane[a] + 0.8f * sign * contrast, sign)
                         - Crossing(plane, a, hi - lo, stride, plane[a] + 0.2f * sign * contrast, sign);
            int bin = Math.Clamp((int)(rise * cosine / WidthBinWidth), 0, WidthBins - 1);
            edgeWidths[bin] += lumaEdge ? LumaWeight * contrast : contrast;
        }
    }

    /// <summary>True when no other two-pixel step starting in [lo, hi] is larger (ties go to the first).</summary>
    private static bool IsSteepest(float[] plane, int lo, int hi, int at, int stride, float step)
    {
        for (int k = lo; k <= hi; k += stride)
        {
            if (k == at) continue;
            float other = Math.Abs(plane[k + 2 * stride] - plane[k]);
            if (k < at ? other >= step : other > step) return false;
        }
        return true;
    }

    /// <summary>Where, in pixels from <paramref name="from"/>, the rise first passes <paramref name="level"/>
    /// (linear between samples); <paramref name="pixels"/> when it never does.</summary>
    private static float Crossing(float[] plane, int from, int pixels, int stride, float level, float sign)
    {
        for (int k = 0; k < pixels; k++)
        {
            float u = (plane[from + k * stride] - level) * sign, v = (plane[from + (k + 1) * stride] - level) * sign;
            if (u <= 0 && v > 0) return k + u / (u - v);
        }
        return pixels;
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
