using Seaweed.Data.Imaging;

namespace Seaweed.Data.Understanding;

/// <summary>
/// The background's on-screen velocity in pixels per frame, with the summed structure tensor (Σ∇I∇Iᵀ) of the
/// pixels it was measured on. The tensor says which directions the measurement can see: diagonal stripes only
/// show motion across them, so candidate pans are compared through it rather than through the velocity alone.
/// </summary>
internal sealed record BackgroundMotion(double Vx, double Vy, double Mxx, double Mxy, double Myy)
{
    public static readonly BackgroundMotion None = new(0, 0, 0, 0, 0);

    /// <summary>(d − v)ᵀ M (d − v): how badly a background velocity d disagrees with the measurement.</summary>
    public double Disagreement(double dx, double dy)
    {
        double ex = dx - Vx, ey = dy - Vy;
        return Mxx * ex * ex + 2 * Mxy * ex * ey + Myy * ey * ey;
    }

    /// <summary>
    /// Estimates one global translation per pair of consecutive frames by iterative Lucas–Kanade on smoothed luma,
    /// using only pixels outside the given rectangles (the objects, which move on their own), then combines the
    /// pairs into one velocity weighted by each pair's tensor. Large frames are first reduced to a short side of
    /// about <see cref="WorkingSide"/>: the textures are smooth, and smaller shifts suit Lucas–Kanade better.
    /// </summary>
    public static BackgroundMotion Measure(VideoFrames clip, IReadOnlyList<PixelRect>[] excluded)
    {
        if (clip.FrameCount < 2) return None;
        int f = Math.Max(1, Math.Min(clip.Width, clip.Height) / WorkingSide);
        int w = clip.Width / f, h = clip.Height / f;
        var mask = new bool[w * h];
        var previous = SmoothLuma(clip.ReadFrame(0), clip.Width, f, w, h);
        double sxx = 0, sxy = 0, syy = 0, bx = 0, by = 0;
        for (int t = 1; t < clip.FrameCount; t++)
        {
            var next = SmoothLuma(clip.ReadFrame(t), clip.Width, f, w, h);
            BuildMask(mask, w, h, f, excluded[t - 1], excluded[t]);
            double mxx = 0, mxy = 0, myy = 0;
            int count = 0;
            for (int y = Margin; y < h - Margin; y++)
                for (int x = Margin; x < w - Margin; x++)
                {
                    int i = y * w + x;
                    if (!mask[i]) continue;
                    float ix = 0.5f * (previous[i + 1] - previous[i - 1]), iy = 0.5f * (previous[i + w] - previous[i - w]);
                    mxx += ix * ix; mxy += ix * iy; myy += iy * iy;
                    count++;
                }
            if (count > 0)
            {
                var (dx, dy) = Track(previous, next, mask, w, h);
                sxx += mxx; sxy += mxy; syy += myy;
                bx += mxx * dx + mxy * dy;
                by += mxy * dx + myy * dy;
            }
            previous = next;
        }
        var (vx, vy) = Solve(sxx, sxy, syy, bx, by);
        // In full-resolution pixels: velocities scale up by f, gradients (and so the tensor) down by f².
        return new BackgroundMotion(vx * f, vy * f, sxx / (f * f), sxy / (f * f), syy / (f * f));
    }

    private const int WorkingSide = 64;

    // Borders are skipped by more than the largest per-frame shift, so warped samples stay inside the frame.
    private const int Margin = 6;
    private const double MaxShift = Margin - 2;

    /// <summary>
    /// The shift d with gain·next(x + d) + bias ≈ previous(x) on the masked pixels, by Gauss–Newton on all four
    /// together: flicker in brightness is absorbed by gain and bias rather than read as motion, while a change of
    /// mean brightness that the shift itself explains (a broad texture sliding through the frame) stays motion.
    /// </summary>
    private static (double Dx, double Dy) Track(float[] previous, float[] next, bool[] mask, int w, int h)
    {
        double dx = 0, dy = 0, gain = 1, bias = 0;
        Span<double> normal = stackalloc double[16];
        Span<double> gradient = stackalloc double[4];
        Span<double> jacobian = stackalloc double[4];
        Span<double> step = stackalloc double[4];
        for (int iteration = 0; iteration < 8; iteration++)
        {
            normal.Clear();
            gradient.Clear();
            int ox = (int)Math.Floor(dx), oy = (int)Math.Floor(dy);
            float fx = (float)(dx - ox), fy = (float)(dy - oy);
            for (int y = Margin; y < h - Margin; y++)
                for (int x = Margin; x < w - Margin; x++)
                {
                    int i = y * w + x;
                    if (!mask[i]) continue;
                    int j = (y + oy) * w + x + ox;
                    double value = Sample(next, j, w, fx, fy);
                    jacobian[0] = 0.5 * gain * (Sample(next, j + 1, w, fx, fy) - Sample(next, j - 1, w, fx, fy));
                    jacobian[1] = 0.5 * gain * (Sample(next, j + w, w, fx, fy) - Sample(next, j - w, w, fx, fy));
                    jacobian[2] = value;
                    jacobian[3] = 1;
                    double e = gain * value + bias - previous[i];
                    for (int a = 0; a < 4; a++)
                    {
                        gradient[a] += jacobian[a] * e;
                        for (int b = a; b < 4; b++) normal[a * 4 + b] += jacobian[a] * jacobian[b];
                    }
                }
            if (!SolveSymmetric(normal, gradient, step)) break;
            dx = Math.Clamp(dx - step[0], -MaxShift, MaxShift);
            dy = Math.Clamp(dy - step[1], -MaxShift, MaxShift);
            gain -= step[2];
            bias -= step[3];
            if (step[0] * step[0] + step[1] * step[1] < 1e-4) break;
        }
        return (dx, dy);
    }

    /// <summary>
    /// Solves A·x = b for a symmetric 4×4 A given by its upper triangle, with a little ridge on the shift block so
    /// that a direction the texture cannot show (along stripes) gets no motion. False when A is singular.
    /// </summary>
    private static bool SolveSymmetric(Span<double> a, ReadOnlySpan<double> b, Span<double> x)
    {
        const int N = 4;
        for (int r = 0; r < N; r++)
            for (int c = 0; c < r; c++) a[r * N + c] = a[c * N + r];
        double ridge = 1e-3 * (a[0] + a[5]) + 1e-9;
        a[0] += ridge; a[5] += ridge;
        Span<double> m = stackalloc double[N * (N + 1)];
        for (int r = 0; r < N; r++)
        {
            for (int c = 0; c < N; c++) m[r * (N + 1) + c] = a[r * N + c];
            m[r * (N + 1) + N] = b[r];
        }
        for (int col = 0; col < N; col++)
        {
            int pivot = col;
            for (int r = col + 1; r < N; r++)
                if (Math.Abs(m[r * (N + 1) + col]) > Math.Abs(m[pivot * (N + 1) + col])) pivot = r;
            if (Math.Abs(m[pivot * (N + 1) + col]) < 1e-12) return false;
            for (int c = 0; c <= N; c++) (m[col * (N + 1) + c], m[pivot * (N + 1) + c]) = (m[pivot * (N + 1) + c], m[col * (N + 1) + c]);
            for (int r = 0; r < N; r++)
            {
                if (r == col) continue;
                double factor = m[r * (N + 1) + col] / m[col * (N + 1) + col];
                for (int c = col; c <= N; c++) m[r * (N + 1) + c] -= factor * m[col * (N + 1) + c];
            }
        }
        for (int r = 0; r < N; r++) x[r] = m[r * (N + 1) + N] / m[r * (N + 1) + r];
        return true;
    }

    /// <summary>Bilinear sample at pixel j plus the fraction (fx, fy).</summary>
    private static float Sample(float[] plane, int j, int w, float fx, float fy)
    {
        float top = plane[j] + fx * (plane[j + 1] - plane[j]);
        float bottom = plane[j + w] + fx * (plane[j + w + 1] - plane[j + w]);
        return top + fy * (bottom - top);
    }

    /// <summary>Solves M·v = b for the symmetric M = [[xx, xy], [xy, yy]] with a little ridge, so a direction no
    /// pair could see gets no motion.</summary>
    private static (double X, double Y) Solve(double xx, double xy, double yy, double bx, double by)
    {
        double ridge = 1e-3 * (xx + yy) + 1e-9;
        double a = xx + ridge, c = yy + ridge, det = a * c - xy * xy;
        return ((c * bx - xy * by) / det, (a * by - xy * bx) / det);
    }

    /// <summary>True where a reduced pixel lies outside every rectangle (given in full-resolution pixels).</summary>
    private static void BuildMask(bool[] mask, int w, int h, int f, IReadOnlyList<PixelRect> a, IReadOnlyList<PixelRect> b)
    {
        Array.Fill(mask, true);
        foreach (var r in a.Concat(b))
        {
            int x0 = Math.Max(0, r.X / f), x1 = Math.Min(w, (r.Right + f - 1) / f);
            for (int y = Math.Max(0, r.Y / f); y < Math.Min(h, (r.Bottom + f - 1) / f); y++)
                if (x1 > x0) Array.Fill(mask, false, y * w + x0, x1 - x0);
        }
    }

    /// <summary>Luma averaged over f×f blocks, then smoothed by a separable [1 2 1]/4 filter (gradients of
    /// compressed frames are less noisy).</summary>
    private static float[] SmoothLuma(ReadOnlySpan<byte> frame, int width, int f, int w, int h)
    {
        var luma = FrameOps.Luma(frame);
        var blocks = new float[w * h];
        for (int y = 0; y < h * f; y++)
            for (int x = 0; x < w * f; x++)
                blocks[y / f * w + x / f] += luma[y * width + x];
        float scale = 1f / (f * f);
        var rows = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                int i = y * w + x;
                rows[i] = 0.25f * scale * (blocks[y * w + Math.Max(0, x - 1)] + 2 * blocks[i] + blocks[y * w + Math.Min(w - 1, x + 1)]);
            }
        var result = new float[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                result[y * w + x] = 0.25f * (rows[Math.Max(0, y - 1) * w + x] + 2 * rows[y * w + x] + rows[Math.Min(h - 1, y + 1) * w + x]);
        return result;
    }
}
