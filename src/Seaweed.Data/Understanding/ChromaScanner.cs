using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>A connected patch of saturated pixels on one frame and the palette colour its core is nearest to.</summary>
internal sealed record Blob(Colour Colour, double ColourConfidence, int Area, PixelRect Box);

/// <summary>
/// Finds the saturated patches of frames. Backgrounds are desaturated and each has one fixed tint, so chroma
/// measured from the background's own chroma separates objects from any texture. Antialiased, blurred or
/// compressed edges blend an object's colour with the background linearly in chroma, so the projection of a
/// pixel's chroma onto the object's colour is the fraction of the pixel the object covers (its alpha); sums of
/// alpha give areas and centroids that blur does not change. Buffers are reused from frame to frame.
/// </summary>
internal sealed class ChromaScanner
{
    // Background chroma stays within ~14 of grey and the palette's lies at 65..100, so a pixel this far from the
    // background's chroma is at least about a third covered by an object.
    private const float Saturated = 24;

    // A patch's colour is read from its core, the pixels at least this fraction as saturated as its most saturated one.
    private const float CoreFraction = 0.5f;

    // Alpha below this is compression or texture noise, not coverage.
    private const double AlphaFloor = 0.06;

    // How far (in pixels, chessboard) alpha may reach beyond a patch: blur of a few pixels spreads about this far
    // past the saturated core.
    private const int Reach = 4;

    // Pixel-to-pixel chroma noise (median absolute difference of neighbours) above which frames are smoothed
    // before reading: renders and compressed footage stay well below, visibly grainy video is above.
    private const double NoisyChroma = 2;

    // Histogram bins of half a chroma unit, for medians.
    private const int Bins = 512;

    private readonly int width, height;
    private readonly float[] cb, cr, sat;
    private readonly int[] labels;
    private readonly int[] order;
    private readonly int[] distance;
    private readonly int minArea;
    private readonly List<Blob> blobs = [];
    private readonly (double Cb, double Cr) background;
    private readonly bool smooth;
    private readonly (double Cb, double Cr)[] paletteDirections;

    /// <summary>A scanner for the frames of one clip, calibrated on its first frame.</summary>
    public ChromaScanner(VideoFrames clip)
    {
        width = clip.Width;
        height = clip.Height;
        int n = width * height;
        cb = new float[n];
        cr = new float[n];
        sat = new float[n];
        labels = new int[n];
        order = new int[n];
        distance = new int[n];
        // Smaller patches are compression or noise specks: a small shrunk triangle still covers ~17 pixels at 64×64.
        minArea = Math.Max(4, n / 1500);
        (background, smooth) = Calibrate(clip.ReadFrame(0), width);
        paletteDirections = Vocabulary.Colours.Select(c => Offset(ColourChroma(c))).ToArray();
    }

    private static (double Cb, double Cr) ChromaOf(double r, double g, double b)
    {
        var (_, cb, cr) = FrameOps.Ycc(r, g, b);
        return (cb, cr);
    }

    /// <summary>
    /// The background's chroma, as the frame's median chroma (objects never cover half of a frame), and whether the
    /// frame is noisy enough to smooth. Backgrounds have no chroma texture, so neighbour differences are noise.
    /// </summary>
    private static ((double Cb, double Cr) Background, bool Smooth) Calibrate(ReadOnlySpan<byte> frame, int width)
    {
        var cbCounts = new int[Bins];
        var crCounts = new int[Bins];
        var noiseCounts = new int[Bins];
        int n = frame.Length / 3;
        double previous = 0;
        for (int i = 0; i < n; i++)
        {
            var (b, r) = ChromaOf(frame[3 * i], frame[3 * i + 1], frame[3 * i + 2]);
            cbCounts[Bin(b + 128)]++;
            crCounts[Bin(r + 128)]++;
            if (i % width > 0) noiseCounts[Bin(Math.Abs(b - previous))]++;
            previous = b;
        }
        return ((Median(cbCounts) - 128, Median(crCounts) - 128), Median(noiseCounts) > NoisyChroma);

        static int Bin(double c) => Math.Clamp((int)Math.Round(2 * c), 0, Bins - 1);
        static double Median(int[] counts)
        {
            int total = counts.Sum(), seen = 0;
            for (int k = 0; k < counts.Length; k++)
                if ((seen += counts[k]) * 2 >= total) return k / 2.0;
            return 0;
        }
    }

    /// <summary>Labels the saturated patches of a frame (8-connected), names each patch's colour by its hue, and
    /// returns those large enough to be (part of) an object.</summary>
    public IReadOnlyList<Blob> Scan(ReadOnlySpan<byte> frame)
    {
        int n = width * height;
        for (int i = 0; i < n; i++)
        {
            var (b, r) = ChromaOf(frame[3 * i], frame[3 * i + 1], frame[3 * i + 2]);
            cb[i] = (float)(b - background.Cb);
            cr[i] = (float)(r - background.Cr);
        }
        if (smooth)
        {
            Smooth(cb);
            Smooth(cr);
        }
        for (int i = 0; i < n; i++)
        {
            sat[i] = MathF.Sqrt(cb[i] * cb[i] + cr[i] * cr[i]);
            labels[i] = -1;
        }
        blobs.Clear();
        int filled = 0;
        for (int seed = 0; seed < n; seed++)
        {
            if (labels[seed] != -1 || sat[seed] < Saturated) continue;
            int start = filled;
            filled = Fill(seed, blobs.Count, filled);
            blobs.Add(Describe(order.AsSpan(start, filled - start)));
        }
        return blobs.Where(b => b.Area >= minArea).ToArray();
    }

    /// <summary>
    /// Alpha of <paramref name="colour"/> over a window of the last scanned frame, row-major into
    /// <paramref name="alpha"/>. Only pixels within <see cref="Reach"/> of one of the colour's patches count: soft
    /// edges stay, while noise elsewhere in the window, which would weigh heavily in second moments, does not.
    /// Pixels of patches of other colours count as zero.
    /// </summary>
    public void Alpha(Colour colour, PixelRect window, Span<float> alpha)
    {
        var (db, dr) = paletteDirections[(int)colour];
        double norm = db * db + dr * dr;
        var near = NearPatches(colour, window);
        for (int y = 0; y < window.Height; y++)
            for (int x = 0; x < window.Width; x++)
            {
                int i = (window.Y + y) * width + window.X + x, label = labels[i];
                bool counts = near[y * window.Width + x] <= Reach && !(label >= 0 && blobs[label].Area >= minArea && blobs[label].Colour != colour);
                double a = counts ? (cb[i] * db + cr[i] * dr) / norm : 0;
                alpha[y * window.Width + x] = (float)Math.Clamp((a - AlphaFloor) / (1 - AlphaFloor), 0, 1);
            }
    }

    /// <summary>Chessboard distance from each window pixel to the nearest pixel of the colour's patches, capped above <see cref="Reach"/>.</summary>
    private Span<int> NearPatches(Colour colour, PixelRect window)
    {
        int w = window.Width, h = window.Height;
        var d = distance.AsSpan(0, w * h);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int label = labels[(window.Y + y) * width + window.X + x];
                d[y * w + x] = label >= 0 && blobs[label].Colour == colour && blobs[label].Area >= minArea ? 0 : Reach + 1;
            }
        // Two chamfer passes with unit steps in all eight directions.
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int v = d[y * w + x];
                if (x > 0) v = Math.Min(v, d[y * w + x - 1] + 1);
                if (y > 0)
                {
                    v = Math.Min(v, d[(y - 1) * w + x] + 1);
                    if (x > 0) v = Math.Min(v, d[(y - 1) * w + x - 1] + 1);
                    if (x < w - 1) v = Math.Min(v, d[(y - 1) * w + x + 1] + 1);
                }
                d[y * w + x] = v;
            }
        for (int y = h - 1; y >= 0; y--)
            for (int x = w - 1; x >= 0; x--)
            {
                int v = d[y * w + x];
                if (x < w - 1) v = Math.Min(v, d[y * w + x + 1] + 1);
                if (y < h - 1)
                {
                    v = Math.Min(v, d[(y + 1) * w + x] + 1);
                    if (x < w - 1) v = Math.Min(v, d[(y + 1) * w + x + 1] + 1);
                    if (x > 0) v = Math.Min(v, d[(y + 1) * w + x - 1] + 1);
                }
                d[y * w + x] = v;
            }
        return d;
    }

    /// <summary>A separable [1 2 1]/4 filter in place: pixel noise drops by more than half for a blur of under a
    /// pixel, which the shape fit allows for anyway.</summary>
    private void Smooth(float[] plane)
    {
        for (int y = 0; y < height; y++)
        {
            int row = y * width;
            float left = plane[row];
            for (int x = 0; x < width; x++)
            {
                float centre = plane[row + x], right = plane[row + Math.Min(width - 1, x + 1)];
                plane[row + x] = 0.25f * (left + 2 * centre + right);
                left = centre;
            }
        }
        for (int x = 0; x < width; x++)
        {
            float up = plane[x];
            for (int y = 0; y < height; y++)
            {
                float centre = plane[y * width + x], down = plane[Math.Min(height - 1, y + 1) * width + x];
                plane[y * width + x] = 0.25f * (up + 2 * centre + down);
                up = centre;
            }
        }
    }

    private (double Cb, double Cr) Offset((double Cb, double Cr) chroma) => (chroma.Cb - background.Cb, chroma.Cr - background.Cr);

    private static (double Cb, double Cr) ColourChroma(Colour colour)
    {
        var (r, g, b) = Vocabulary.Rgb(colour);
        return ChromaOf(r, g, b);
    }

    private int Fill(int seed, int label, int filled)
    {
        int head = filled;
        order[filled++] = seed;
        labels[seed] = label;
        while (head < filled)
        {
            int i = order[head++], x = i % width, y = i / width;
            for (int ny = Math.Max(0, y - 1); ny <= Math.Min(height - 1, y + 1); ny++)
                for (int nx = Math.Max(0, x - 1); nx <= Math.Min(width - 1, x + 1); nx++)
                {
                    int j = ny * width + nx;
                    if (labels[j] != -1 || sat[j] < Saturated) continue;
                    labels[j] = label;
                    order[filled++] = j;
                }
        }
        return filled;
    }

    private Blob Describe(ReadOnlySpan<int> members)
    {
        float peak = 0;
        int x0 = width, y0 = height, x1 = -1, y1 = -1;
        foreach (int i in members)
        {
            peak = Math.Max(peak, sat[i]);
            int x = i % width, y = i / width;
            x0 = Math.Min(x0, x); x1 = Math.Max(x1, x);
            y0 = Math.Min(y0, y); y1 = Math.Max(y1, y);
        }
        double b = 0, r = 0;
        foreach (int i in members)
            if (sat[i] >= CoreFraction * peak) { b += cb[i]; r += cr[i]; }
        var (colour, confidence) = NearestHue(b, r);
        return new Blob(colour, confidence, members.Length, new PixelRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1));
    }

    /// <summary>
    /// The palette colour whose chroma, seen from the background's, points the nearest way, and 1 − best/runner-up
    /// angle. Direction is what blending with the background, blur and washed-out colour all leave alone.
    /// </summary>
    private (Colour Colour, double Confidence) NearestHue(double b, double r)
    {
        double best = double.MaxValue, second = double.MaxValue;
        int bestIndex = 0;
        for (int k = 0; k < paletteDirections.Length; k++)
        {
            var (pb, pr) = paletteDirections[k];
            double angle = Math.Abs(Math.Atan2(b * pr - r * pb, b * pb + r * pr));
            if (angle < best) { second = best; best = angle; bestIndex = k; }
            else if (angle < second) second = angle;
        }
        return (Vocabulary.Colours[bestIndex], 1 - best / second);
    }
}
