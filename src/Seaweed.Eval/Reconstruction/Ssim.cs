using Seaweed.Data;

namespace Seaweed.Eval.Reconstruction;

/// <summary>
/// Structural similarity (Wang et al. 2004) as the reference implementation defines it: an 11×11 Gaussian window
/// of σ = 1.5 over the positions where it fits whole ("valid"), K1 = 0.01, K2 = 0.03, L = 255. Each RGB channel of
/// each frame is scored separately; a clip's SSIM is the mean over its frames and channels.
/// </summary>
public static class Ssim
{
    public const int Window = 11;
    public const double Sigma = 1.5;
    private const double C1 = 0.01 * Psnr.Peak * 0.01 * Psnr.Peak;
    private const double C2 = 0.03 * Psnr.Peak * 0.03 * Psnr.Peak;

    private static readonly double[] Kernel = Gaussian();

    public static double Of(VideoFrames expected, VideoFrames actual)
    {
        Frames.CheckSameSize(expected, actual);
        if (expected.Width < Window || expected.Height < Window)
            throw new ArgumentException($"{expected.Width}x{expected.Height} frames are smaller than the {Window}×{Window} window", nameof(expected));
        double sum = 0;
        for (int t = 0; t < expected.FrameCount; t++)
            for (int c = 0; c < 3; c++)
                sum += Channel(expected.ReadFrame(t), actual.ReadFrame(t), expected.Width, expected.Height, c);
        return sum / (3 * expected.FrameCount);
    }

    /// <summary>Mean SSIM of one channel of two interleaved RGB frames.</summary>
    private static double Channel(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b, int width, int height, int channel)
    {
        int n = width * height;
        double[] x = new double[n], y = new double[n], xx = new double[n], yy = new double[n], xy = new double[n];
        for (int i = 0; i < n; i++)
        {
            double p = a[3 * i + channel], q = b[3 * i + channel];
            (x[i], y[i], xx[i], yy[i], xy[i]) = (p, q, p * p, q * q, p * q);
        }
        var (mx, my, mxx, myy, mxy) = (Filter(x, width, height), Filter(y, width, height), Filter(xx, width, height), Filter(yy, width, height), Filter(xy, width, height));
        double sum = 0;
        for (int i = 0; i < mx.Length; i++)
        {
            double vx = mxx[i] - mx[i] * mx[i], vy = myy[i] - my[i] * my[i], cov = mxy[i] - mx[i] * my[i];
            sum += (2 * mx[i] * my[i] + C1) * (2 * cov + C2) / ((mx[i] * mx[i] + my[i] * my[i] + C1) * (vx + vy + C2));
        }
        return sum / mx.Length;
    }

    /// <summary>The separable Gaussian filter over the valid region: (width − 10) × (height − 10) values.</summary>
    private static double[] Filter(double[] image, int width, int height)
    {
        int w = width - Window + 1, h = height - Window + 1;
        var rows = new double[w * height];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < w; x++)
            {
                double s = 0;
                for (int k = 0; k < Window; k++) s += Kernel[k] * image[y * width + x + k];
                rows[y * w + x] = s;
            }
        var result = new double[w * h];
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
            {
                double s = 0;
                for (int k = 0; k < Window; k++) s += Kernel[k] * rows[(y + k) * w + x];
                result[y * w + x] = s;
            }
        return result;
    }

    /// <summary>The normalised 1-D Gaussian of <see cref="Window"/> taps and standard deviation <see cref="Sigma"/>.</summary>
    public static double[] Gaussian()
    {
        var g = new double[Window];
        for (int i = 0; i < Window; i++)
        {
            double d = i - Window / 2;
            g[i] = Math.Exp(-d * d / (2 * Sigma * Sigma));
        }
        double total = g.Sum();
        return g.Select(v => v / total).ToArray();
    }
}
