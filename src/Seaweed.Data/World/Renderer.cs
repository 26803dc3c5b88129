namespace Seaweed.Data.World;

/// <summary>
/// Draws a scene: a smooth, desaturated background (textures are functions of world coordinates, so a pan really
/// moves them) and flat-coloured shapes with 4×4 supersampled edges. Pure and deterministic.
/// </summary>
public static class Renderer
{
    private const int Supersample = 4;

    public static VideoFrames Render(Scene scene)
    {
        var video = new VideoFrames(scene.Width, scene.Height, scene.FrameCount, scene.Fps);
        for (int t = 0; t < scene.FrameCount; t++) RenderFrame(scene, t, video.Frame(t));
        return video;
    }

    public static void RenderFrame(Scene scene, int t, Span<byte> frame)
    {
        double p = scene.Progress(t);
        var (camX, camY) = Kinematics.CameraAt(scene, p);
        double unit = scene.ShortSide;
        for (int y = 0; y < scene.Height; y++)
            for (int x = 0; x < scene.Width; x++)
            {
                var (r, g, b) = BackgroundAt(scene.Content.Background, (x + camX) / unit, (y + camY) / unit);
                int i = (y * scene.Width + x) * 3;
                frame[i] = r; frame[i + 1] = g; frame[i + 2] = b;
            }
        foreach (var o in scene.Objects) DrawObject(scene, o, p, frame);
    }

    /// <summary>Background colour at world coordinates measured in short sides.</summary>
    public static (byte R, byte G, byte B) BackgroundAt(Background background, double u, double v)
    {
        switch (background)
        {
            case Background.Grey: return (128, 128, 128);
            case Background.Slate: return (58, 64, 72);
            case Background.Sand: return (196, 186, 166);
            case Background.Checkered:
            {
                double c = Math.Sin(Math.PI * u * 5) * Math.Sin(Math.PI * v * 5);
                return Grey(128 + 22 * Math.Clamp(4 * c, -1, 1), 0, 0);
            }
            case Background.Striped:
            {
                double s = Math.Sin(2 * Math.PI * (u + v) * 3.5);
                return Grey(126 + 20 * Math.Clamp(2 * s, -1, 1), -4, 6);
            }
            case Background.Cloudy:
            {
                double s = Math.Sin(7.1 * u + 1.3) + Math.Sin(5.3 * v + 0.7) + Math.Sin(4.1 * (u + v) + 2.9) + Math.Sin(6.7 * (u - v));
                return Grey(134 + 11 * s, -10, 8);
            }
            default: throw new ArgumentOutOfRangeException(nameof(background), background, null);
        }
    }

    private static (byte, byte, byte) Grey(double level, int redOffset, int blueOffset) =>
        (ToByte(level + redOffset), ToByte(level), ToByte(level + blueOffset));

    private static byte ToByte(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    /// <summary>True when (u, v), in units of the object's radius around its centre, is inside the shape.</summary>
    public static bool Inside(Shape shape, double u, double v) => shape switch
    {
        Shape.Circle => u * u + v * v <= 1,
        Shape.Square => Math.Abs(u) <= 0.85 && Math.Abs(v) <= 0.85,
        Shape.Triangle => v <= 0.75 && v >= -1 && Math.Abs(u) <= (v + 1) / 1.75,
        Shape.Diamond => Math.Abs(u) + Math.Abs(v) <= 1,
        Shape.Cross => (Math.Abs(u) <= 0.34 && Math.Abs(v) <= 0.95) || (Math.Abs(v) <= 0.34 && Math.Abs(u) <= 0.95),
        _ => throw new ArgumentOutOfRangeException(nameof(shape), shape, null),
    };

    /// <summary>Fraction of the pixel (x, y) covered by a shape of radius r centred at (cx, cy).</summary>
    public static double Coverage(Shape shape, double cx, double cy, double r, int x, int y)
    {
        int hits = 0;
        for (int sy = 0; sy < Supersample; sy++)
            for (int sx = 0; sx < Supersample; sx++)
            {
                double px = x + (sx + 0.5) / Supersample, py = y + (sy + 0.5) / Supersample;
                if (Inside(shape, (px - cx) / r, (py - cy) / r)) hits++;
            }
        return hits / (double)(Supersample * Supersample);
    }

    private static void DrawObject(Scene scene, SceneObject o, double p, Span<byte> frame)
    {
        var (cx, cy, r) = Kinematics.ScreenAt(scene, o, p);
        var (cr, cg, cb) = Vocabulary.Rgb(o.Content.Colour);
        int x0 = Math.Max(0, (int)Math.Floor(cx - r)), x1 = Math.Min(scene.Width - 1, (int)Math.Ceiling(cx + r));
        int y0 = Math.Max(0, (int)Math.Floor(cy - r)), y1 = Math.Min(scene.Height - 1, (int)Math.Ceiling(cy + r));
        for (int y = y0; y <= y1; y++)
            for (int x = x0; x <= x1; x++)
            {
                double a = Coverage(o.Content.Shape, cx, cy, r, x, y);
                if (a == 0) continue;
                int i = (y * scene.Width + x) * 3;
                frame[i] = Blend(frame[i], cr, a);
                frame[i + 1] = Blend(frame[i + 1], cg, a);
                frame[i + 2] = Blend(frame[i + 2], cb, a);
            }
    }

    private static byte Blend(byte under, byte over, double a) => ToByte(under + (over - under) * a);
}
