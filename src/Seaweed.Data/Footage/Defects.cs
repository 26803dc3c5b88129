using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Footage;

/// <summary>The ways raw footage goes bad, and the near-duplicate edits, applied to rendered shots.</summary>
public static class Defects
{
    public static VideoFrames Apply(VideoFrames shot, ShotQuality quality, WorldRandom rng) => quality switch
    {
        ShotQuality.Good => shot,
        ShotQuality.Blurred => FrameOps.GaussianBlur(shot, rng.Uniform(2.0, 3.0) * Math.Min(shot.Width, shot.Height) / 96.0),
        ShotQuality.Frozen => Freeze(shot, rng.Next(0, shot.FrameCount)),
        ShotQuality.Dark => Scale(shot, rng.Uniform(0.08, 0.16)),
        ShotQuality.Noisy => AddNoise(shot, rng.Uniform(28, 40), rng),
        ShotQuality.Cluttered => Overlay(shot, rng),
        _ => throw new ArgumentOutOfRangeException(nameof(quality), quality, null),
    };

    /// <summary>Every frame replaced by one frame: a frozen picture.</summary>
    public static VideoFrames Freeze(VideoFrames shot, int frame)
    {
        var result = new VideoFrames(shot.Width, shot.Height, shot.FrameCount, shot.Fps);
        for (int t = 0; t < shot.FrameCount; t++) shot.ReadFrame(frame).CopyTo(result.Frame(t));
        return result;
    }

    public static VideoFrames Scale(VideoFrames shot, double gain)
    {
        var data = new byte[shot.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = FrameOps.ToByte(shot.Data[i] * gain);
        return new VideoFrames(shot.Width, shot.Height, shot.FrameCount, shot.Fps, data);
    }

    public static VideoFrames AddNoise(VideoFrames shot, double sigma, WorldRandom rng)
    {
        var data = new byte[shot.Data.Length];
        for (int i = 0; i < data.Length; i++) data[i] = FrameOps.ToByte(shot.Data[i] + sigma * rng.Gaussian());
        return new VideoFrames(shot.Width, shot.Height, shot.FrameCount, shot.Fps, data);
    }

    /// <summary>Burned-in subtitle-like text: a dark band of white glyph strokes, changing every few frames,
    /// plus a corner logo. Glyph strokes are 1–2 px wide, denser than anything the world draws.</summary>
    public static VideoFrames Overlay(VideoFrames shot, WorldRandom rng)
    {
        var result = new VideoFrames(shot.Width, shot.Height, shot.FrameCount, shot.Fps, (byte[])shot.Data.Clone());
        int w = shot.Width, h = shot.Height;
        int bandH = Math.Max(10, h / 6), bandY = rng.Chance(0.5) ? h - bandH - h / 12 : h / 12;
        int bandX = w / 8, bandW = w - 2 * bandX;
        int logo = Math.Max(8, Math.Min(w, h) / 7);
        int period = rng.Next(4, 9);
        ulong textSeed = rng.NextULong();
        for (int t = 0; t < shot.FrameCount; t++)
        {
            var frame = result.Frame(t);
            var glyphs = new WorldRandom(textSeed + (ulong)(t / period));
            FillRect(frame, w, bandX, bandY, bandW, bandH, 16);
            for (int gx = bandX + 2; gx + 4 < bandX + bandW - 2; gx += 5)
            {
                if (glyphs.Chance(0.15)) continue; // a space between words
                for (int stroke = 0; stroke < 3; stroke++)
                {
                    bool vertical = glyphs.Chance(0.5);
                    int sx = gx + glyphs.Next(0, 3), sy = bandY + 2 + glyphs.Next(0, Math.Max(1, bandH - 8));
                    FillRect(frame, w, sx, sy, vertical ? 1 : 3, vertical ? Math.Min(5, bandH - 4) : 1, 240);
                }
            }
            FillRect(frame, w, w - logo - 3, 3, logo, logo, 235);
            FillRect(frame, w, w - logo, 6, logo - 6, logo - 6, 20);
        }
        return result;
    }

    /// <summary>A central crop of the given fraction, scaled back to the original size.</summary>
    public static VideoFrames CropAndRescale(VideoFrames shot, double keep)
    {
        int cw = Even(shot.Width * keep), ch = Even(shot.Height * keep);
        var cropped = shot.Crop(new PixelRect((shot.Width - cw) / 2, (shot.Height - ch) / 2, cw, ch));
        return FrameOps.Resize(cropped, shot.Width, shot.Height);
    }

    private static int Even(double v) => Math.Max(2, (int)Math.Round(v / 2) * 2);

    private static void FillRect(Span<byte> frame, int width, int x, int y, int w, int h, byte level)
    {
        int height = frame.Length / 3 / width;
        for (int yy = Math.Max(0, y); yy < Math.Min(height, y + h); yy++)
            for (int xx = Math.Max(0, x); xx < Math.Min(width, x + w); xx++)
            {
                int i = (yy * width + xx) * 3;
                frame[i] = frame[i + 1] = frame[i + 2] = level;
            }
    }
}
