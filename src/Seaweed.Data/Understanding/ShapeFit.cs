using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>
/// Tells shapes apart by fitting each one's silhouette to an object's alpha. For each of a few blur amounts
/// (compression and generated video are soft), the silhouette is placed at the alpha's centroid, sized and
/// stretched so that, once blurred, its second moments match the alpha's (footage may have been rescaled to another
/// aspect ratio), drawn with the renderer's own inside test, and compared with a free gain (washed-out colour
/// lowers alpha everywhere alike). The error is 1 − the squared normalised correlation. Large objects are compared
/// on a coarser grid, so the cost does not grow with resolution.
/// </summary>
internal static class ShapeFit
{
    // Compare on a grid where the object's radius is about this many cells (renders are read perfectly down to ~6).
    private const double CoarseRadius = 7;

    // Blur of the silhouette, in grid cells.
    private static readonly double[] Blurs = [0, 0.7, 1.4, 2.1];

    // Width-to-height stretches beyond this are deformations, not a rescale (footage aspect ratios differ by up to ~2.2).
    private const double MaxStretch = 2.5;

    private const int Supersample = 3;

    private readonly record struct Geometry(double Area, double CentroidY, double VarianceX, double VarianceY);

    private static readonly Geometry[] Shapes = Vocabulary.Shapes.Select(Measure).ToArray();

    /// <summary>Area of a shape of radius 1, as the renderer draws it.</summary>
    public static double Area(Shape shape) => Shapes[(int)shape].Area;

    /// <summary>Adds, for every shape, how badly its best-fitting silhouette explains the alpha window
    /// (0 is a perfect fit, 1 no resemblance).</summary>
    public static void AddErrors(ReadOnlySpan<float> alpha, PixelRect window, Span<double> errors)
    {
        double mass = 0, sx = 0, sy = 0;
        for (int y = 0; y < window.Height; y++)
            for (int x = 0; x < window.Width; x++)
            {
                double a = alpha[y * window.Width + x];
                mass += a; sx += a * (x + 0.5); sy += a * (y + 0.5);
            }
        if (mass <= 0) return;
        int f = Math.Max(1, (int)Math.Round(Math.Sqrt(mass / Math.PI) / CoarseRadius));
        int w = (window.Width + f - 1) / f, h = (window.Height + f - 1) / f;
        var observed = Coarsen(alpha, window.Width, window.Height, f, w, h);
        // Moments on the grid the comparison uses, so that blur in cells adds exactly sigma² to each variance.
        double cx = sx / mass / f, cy = sy / mass / f, vx = 0, vy = 0, total = 0, energy = 0;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double a = observed[y * w + x], dx = x + 0.5 - cx, dy = y + 0.5 - cy;
                total += a; vx += a * dx * dx; vy += a * dy * dy; energy += a * a;
            }
        vx /= total; vy /= total;
        var silhouette = new float[w * h];
        var blurred = new float[w * h];
        var scratch = new float[w * h];
        foreach (var shape in Vocabulary.Shapes)
        {
            var g = Shapes[(int)shape];
            double best = 1;
            foreach (double sigma in Blurs)
            {
                double sharpX = vx - sigma * sigma, sharpY = vy - sigma * sigma;
                if (sharpX <= 0 || sharpY <= 0) continue;
                double r = Math.Sqrt((sharpX + sharpY) / (g.VarianceX + g.VarianceY));
                double stretch = Math.Clamp(Math.Sqrt(sharpX / g.VarianceX / (sharpY / g.VarianceY)), 1 / MaxStretch, MaxStretch);
                double rx = r * Math.Sqrt(stretch), ry = r / Math.Sqrt(stretch);
                Draw(shape, cx, cy - g.CentroidY * ry, rx, ry, silhouette, w, h);
                var template = sigma == 0 ? silhouette : Blur(silhouette, w, h, sigma, blurred, scratch);
                double cross = 0, self = 0;
                for (int i = 0; i < template.Length; i++) { cross += observed[i] * template[i]; self += template[i] * template[i]; }
                if (self > 0) best = Math.Min(best, 1 - cross * cross / (self * energy));
            }
            errors[(int)shape] += best;
        }
    }

    /// <summary>Coverage of every cell by a shape with radii (rx, ry) centred at (cx, cy), by supersampling the renderer's inside test.</summary>
    private static void Draw(Shape shape, double cx, double cy, double rx, double ry, float[] cells, int w, int h)
    {
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                // Every shape lies within its radius box; cells beyond it need no samples.
                if (x + 1 < cx - rx || x > cx + rx || y + 1 < cy - ry || y > cy + ry)
                {
                    cells[y * w + x] = 0;
                    continue;
                }
                int hits = 0;
                for (int sy = 0; sy < Supersample; sy++)
                    for (int sx = 0; sx < Supersample; sx++)
                        if (Renderer.Inside(shape, (x + (sx + 0.5) / Supersample - cx) / rx, (y + (sy + 0.5) / Supersample - cy) / ry)) hits++;
                cells[y * w + x] = hits / (float)(Supersample * Supersample);
            }
    }

    /// <summary>Mean of each f×f block (partial blocks at the far edges average what they have).</summary>
    private static float[] Coarsen(ReadOnlySpan<float> alpha, int width, int height, int f, int w, int h)
    {
        if (f == 1) return alpha.ToArray();
        var sum = new float[w * h];
        var count = new int[w * h];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int c = y / f * w + x / f;
                sum[c] += alpha[y * width + x];
                count[c]++;
            }
        for (int c = 0; c < sum.Length; c++) sum[c] /= count[c];
        return sum;
    }

    /// <summary>Separable Gaussian blur with zeros outside the window (a silhouette is zero there).</summary>
    private static float[] Blur(float[] source, int w, int h, double sigma, float[] result, float[] scratch)
    {
        int radius = (int)Math.Ceiling(3 * sigma);
        Span<float> kernel = stackalloc float[2 * radius + 1];
        float total = 0;
        for (int k = -radius; k <= radius; k++) total += kernel[k + radius] = (float)Math.Exp(-k * k / (2 * sigma * sigma));
        for (int k = 0; k < kernel.Length; k++) kernel[k] /= total;
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float acc = 0;
                for (int k = Math.Max(-radius, -x); k <= Math.Min(radius, w - 1 - x); k++) acc += kernel[k + radius] * source[y * w + x + k];
                scratch[y * w + x] = acc;
            }
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                float acc = 0;
                for (int k = Math.Max(-radius, -y); k <= Math.Min(radius, h - 1 - y); k++) acc += kernel[k + radius] * scratch[(y + k) * w + x];
                result[y * w + x] = acc;
            }
        return result;
    }

    /// <summary>Area, centroid height and second moments of a unit shape, sampled on a fine grid from the renderer's own test.</summary>
    private static Geometry Measure(Shape shape)
    {
        const int N = 400;
        const double Extent = 1.3;
        double cell = 2 * Extent / N;
        int inside = 0;
        double sv = 0, suu = 0, svv = 0;
        for (int j = 0; j < N; j++)
            for (int i = 0; i < N; i++)
            {
                double u = -Extent + (i + 0.5) * cell, v = -Extent + (j + 0.5) * cell;
                if (!Renderer.Inside(shape, u, v)) continue;
                inside++;
                sv += v; suu += u * u; svv += v * v;
            }
        double centroid = sv / inside;
        return new Geometry(inside * cell * cell, centroid, suu / inside, svv / inside - centroid * centroid);
    }
}
