namespace Seaweed.Data.Imaging;

/// <summary>Whole-video pixel operations on packed RGB24 frames.</summary>
public static class FrameOps
{
    /// <summary>Bilinear resize of every frame; when shrinking, frames are first blurred in proportion to avoid aliasing.</summary>
    public static VideoFrames Resize(VideoFrames video, int width, int height)
    {
        if (width == video.Width && height == video.Height) return new VideoFrames(width, height, video.FrameCount, video.Fps, (byte[])video.Data.Clone());
        double scale = Math.Min((double)width / video.Width, (double)height / video.Height);
        var source = scale < 0.75 ? GaussianBlur(video, 0.5 / scale) : video;
        var result = new VideoFrames(width, height, video.FrameCount, video.Fps);
        double sx = (double)video.Width / width, sy = (double)video.Height / height;
        for (int t = 0; t < video.FrameCount; t++)
        {
            var src = source.ReadFrame(t);
            var dst = result.Frame(t);
            for (int y = 0; y < height; y++)
            {
                double fy = Math.Clamp((y + 0.5) * sy - 0.5, 0, video.Height - 1);
                int y0 = (int)fy, y1 = Math.Min(y0 + 1, video.Height - 1);
                double wy = fy - y0;
                for (int x = 0; x < width; x++)
                {
                    double fx = Math.Clamp((x + 0.5) * sx - 0.5, 0, video.Width - 1);
                    int x0 = (int)fx, x1 = Math.Min(x0 + 1, video.Width - 1);
                    double wx = fx - x0;
                    for (int c = 0; c < 3; c++)
                    {
                        double top = src[(y0 * video.Width + x0) * 3 + c] * (1 - wx) + src[(y0 * video.Width + x1) * 3 + c] * wx;
                        double bottom = src[(y1 * video.Width + x0) * 3 + c] * (1 - wx) + src[(y1 * video.Width + x1) * 3 + c] * wx;
                        dst[(y * width + x) * 3 + c] = ToByte(top * (1 - wy) + bottom * wy);
                    }
                }
            }
        }
        return result;
    }

    /// <summary>Separable Gaussian blur of every frame, edges clamped.</summary>
    public static VideoFrames GaussianBlur(VideoFrames video, double sigma)
    {
        if (!(sigma > 0)) throw new ArgumentOutOfRangeException(nameof(sigma), sigma, "sigma must be positive");
        int radius = (int)Math.Ceiling(3 * sigma);
        var kernel = new double[2 * radius + 1];
        for (int i = -radius; i <= radius; i++) kernel[i + radius] = Math.Exp(-i * i / (2 * sigma * sigma));
        double sum = kernel.Sum();
        for (int i = 0; i < kernel.Length; i++) kernel[i] /= sum;

        int w = video.Width, h = video.Height;
        var result = new VideoFrames(w, h, video.FrameCount, video.Fps);
        var tmp = new double[w * h * 3];
        for (int t = 0; t < video.FrameCount; t++)
        {
            var src = video.ReadFrame(t);
            var dst = result.Frame(t);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        double acc = 0;
                        for (int k = -radius; k <= radius; k++) acc += kernel[k + radius] * src[(y * w + Math.Clamp(x + k, 0, w - 1)) * 3 + c];
                        tmp[(y * w + x) * 3 + c] = acc;
                    }
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                    for (int c = 0; c < 3; c++)
                    {
                        double acc = 0;
                        for (int k = -radius; k <= radius; k++) acc += kernel[k + radius] * tmp[(Math.Clamp(y + k, 0, h - 1) * w + x) * 3 + c];
                        dst[(y * w + x) * 3 + c] = ToByte(acc);
                    }
        }
        return result;
    }

    /// <summary>Rec. 601 luma of one RGB24 frame, as bytes.</summary>
    public static byte[] Luma(ReadOnlySpan<byte> frame)
    {
        var luma = new byte[frame.Length / 3];
        for (int i = 0; i < luma.Length; i++)
            luma[i] = (byte)((299 * frame[3 * i] + 587 * frame[3 * i + 1] + 114 * frame[3 * i + 2] + 500) / 1000);
        return luma;
    }

    /// <summary>BT.601 Y'CbCr of one RGB pixel, chroma centred on zero.</summary>
    public static (double Y, double Cb, double Cr) Ycc(double r, double g, double b) =>
        (0.299 * r + 0.587 * g + 0.114 * b, -0.168736 * r - 0.331264 * g + 0.5 * b, 0.5 * r - 0.418688 * g - 0.081312 * b);

    public static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);
}
