using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>
/// Names a frame's background from the pixels outside the objects. Plain backgrounds have no luma texture and are
/// told apart by their colour; of the textured ones, stripes have their gradients along the diagonal, and the
/// checkered and cloudy textures differ in tint (the renderer gives each texture a fixed blue-minus-red offset).
/// </summary>
internal static class BackgroundClassifier
{
    // Standard deviation of block-mean luma: plain backgrounds show ~1 after compression, textures 10..20.
    private const double PlainContrast = 5;

    // Diagonal gradient share 2·Σgx·gy / Σ(gx² + gy²): 1 when all gradients point along (1, 1) as on the world's
    // stripes, near 0 for the checkerboard and clouds (whose gradients are axis-aligned or cancel), stretched or not.
    private const double StripedShare = 0.6;

    private static readonly Background[] Plain = Vocabulary.Backgrounds.Where(b => !Vocabulary.IsTextured(b)).ToArray();

    // Texture is measured on means of blocks this many pixels wide: the textures are broad, pixel noise averages out.
    private const int Block = 4;

    public static (Background Background, double Contrast) Classify(ReadOnlySpan<byte> frame, int w, int h, IReadOnlyList<PixelRect> excluded)
    {
        var luma = FrameOps.Luma(frame);
        var outside = Outside(w, h, excluded);
        double r = 0, g = 0, b = 0;
        long n = 0;
        for (int i = 0; i < w * h; i++)
        {
            if (!outside[i]) continue;
            r += frame[3 * i]; g += frame[3 * i + 1]; b += frame[3 * i + 2];
            n++;
        }
        if (n == 0) return (Background.Grey, 0);
        r /= n; g /= n; b /= n;

        // Block means, NaN where a block touches an object.
        int bw = w / Block, bh = h / Block;
        var blocks = new double[bw * bh];
        for (int by = 0; by < bh; by++)
            for (int bx = 0; bx < bw; bx++)
            {
                double sum = 0;
                bool clear = true;
                for (int y = by * Block; y < (by + 1) * Block; y++)
                    for (int x = bx * Block; x < (bx + 1) * Block; x++)
                    {
                        clear &= outside[y * w + x];
                        sum += luma[y * w + x];
                    }
                blocks[by * bw + bx] = clear ? sum / (Block * Block) : double.NaN;
            }
        double l = 0, ll = 0, jxx = 0, jxy = 0, jyy = 0;
        int m = 0;
        for (int by = 1; by < bh - 1; by++)
            for (int bx = 1; bx < bw - 1; bx++)
            {
                int i = by * bw + bx;
                double ix = 0.5 * (blocks[i + 1] - blocks[i - 1]), iy = 0.5 * (blocks[i + bw] - blocks[i - bw]);
                if (double.IsNaN(ix + iy)) continue;
                l += blocks[i]; ll += blocks[i] * blocks[i];
                jxx += ix * ix; jxy += ix * iy; jyy += iy * iy;
                m++;
            }
        double contrast = m == 0 ? 0 : Math.Sqrt(Math.Max(0, ll / m - l / m * (l / m)));
        if (contrast < PlainContrast)
            return (Plain.MinBy(p => Distance(Renderer.BackgroundAt(p, 0, 0), r, g, b)), contrast);
        if (2 * jxy / Math.Max(1e-9, jxx + jyy) >= StripedShare) return (Background.Striped, contrast);
        double tint = b - r;
        return (Math.Abs(tint - Tint(Background.Checkered)) <= Math.Abs(tint - Tint(Background.Cloudy)) ? Background.Checkered : Background.Cloudy, contrast);
    }

    /// <summary>True for the pixels outside every rectangle.</summary>
    private static bool[] Outside(int w, int h, IReadOnlyList<PixelRect> rects)
    {
        var outside = new bool[w * h];
        Array.Fill(outside, true);
        foreach (var r in rects)
            for (int y = Math.Max(0, r.Y); y < Math.Min(h, r.Bottom); y++)
                for (int x = Math.Max(0, r.X); x < Math.Min(w, r.Right); x++)
                    outside[y * w + x] = false;
        return outside;
    }

    private static double Tint(Background textured)
    {
        var (r, _, b) = Renderer.BackgroundAt(textured, 0.3, 0.7);
        return b - r;
    }

    private static double Distance((byte R, byte G, byte B) c, double r, double g, double b) =>
        (c.R - r) * (c.R - r) + (c.G - g) * (c.G - g) + (c.B - b) * (c.B - b);
}
