using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>
/// Reads a world clip's content back from its pixels: which objects it shows (colour, shape, size, motion), the
/// background and the camera pan. Objects are found by colour (saturated against desaturated backgrounds), and
/// the world never gives two objects one colour, so a colour names an object on every frame. Their alpha-weighted
/// centroids and areas give tracks that a line fit turns into travel and growth; shapes are fitted silhouettes;
/// the camera comes from the background's own motion. Pure and deterministic.
/// </summary>
public static class SceneReader
{
    // A colour must be seen on at least this fraction of frames, with at least this fraction of the largest
    // object's mean area, to be an object rather than compression noise.
    private const double Presence = 0.5;
    private const double MinRelativeMass = 0.025;

    private const int ShapeFrames = 3;

    private sealed record Observation(int Frame, double X, double Y, double Mass, PixelRect Window, double ColourConfidence);

    /// <summary>Frames smaller than this on either side are too small to read a shape from.</summary>
    public const int MinSide = 16;

    public static SceneReading Read(VideoFrames clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        if (clip.Width < MinSide || clip.Height < MinSide)
            throw new ArgumentException($"clip is {clip.Width}x{clip.Height}; reading needs at least {MinSide}x{MinSide}", nameof(clip));
        int w = clip.Width, h = clip.Height, n = clip.FrameCount;
        var scanner = new ChromaScanner(clip);
        var tracks = new Dictionary<Colour, List<Observation>>();
        var windows = new List<PixelRect>[n];
        var alpha = new float[w * h];
        for (int t = 0; t < n; t++)
        {
            windows[t] = [];
            foreach (var (colour, window, confidence) in Patches(scanner, clip.ReadFrame(t), w, h))
            {
                scanner.Alpha(colour, window, alpha);
                var (mass, x, y) = Moments(alpha, window);
                if (mass <= 0) continue;
                if (!tracks.TryGetValue(colour, out var track)) tracks[colour] = track = [];
                track.Add(new Observation(t, x, y, mass, window, confidence));
                windows[t].Add(window);
            }
        }

        var selected = SelectObjects(tracks, n);
        var (background, contrast) = BackgroundClassifier.Classify(clip.ReadFrame(0), w, h, windows[0]);
        if (selected.Count == 0) return new SceneReading(null, [], background, CameraPan.None, 0, 0, contrast);

        var shapes = selected.Select(c => FitShape(scanner, clip, c, tracks[c])).ToArray();
        var measured = selected.Select((c, k) => Measure(tracks[c], shapes[k].Shape, n, w, h)).ToArray();
        var (camera, shiftX, shiftY) = n > 1 && Vocabulary.IsTextured(background)
            ? MotionReader.Camera(BackgroundMotion.Measure(clip, windows), measured.Select(m => (m.ScreenX, m.ScreenY)).ToArray(), n, w, h)
            : (CameraPan.None, 0.0, 0.0);

        var objects = new List<ObjectReading>();
        for (int k = 0; k < selected.Count; k++)
        {
            var track = tracks[selected[k]];
            var m = measured[k];
            double travelX = m.ScreenX - shiftX, travelY = m.ScreenY - shiftY;
            Motion? motion = n > 1 ? MotionReader.Classify(travelX, travelY, m.RadiusChange) : null;
            double startRadius = (motion is { } moving ? MotionReader.MotionStartRadius(m.FirstRadius, m.LastRadius, n, moving) : m.FirstRadius) / Math.Min(w, h);
            objects.Add(new ObjectReading(
                selected[k], track.Average(o => o.ColourConfidence),
                shapes[k].Shape, shapes[k].Confidence,
                SizeOf(startRadius), startRadius,
                motion, travelX, travelY, m.RadiusChange,
                track.Select(o => new TrackPoint(o.Frame, o.X, o.Y, Math.Sqrt(o.Mass / ShapeFit.Area(shapes[k].Shape)))).ToArray()));
        }
        var content = new SceneContent(objects[0].Content, objects.Count > 1 ? objects[1].Content : null, background, camera);
        return new SceneReading(content, objects, background, camera, shiftX, shiftY, contrast);
    }

    /// <summary>Each colour's patches on one frame, merged into one padded window (an object may break into pieces).</summary>
    private static IEnumerable<(Colour Colour, PixelRect Window, double Confidence)> Patches(ChromaScanner scanner, ReadOnlySpan<byte> frame, int w, int h)
    {
        var result = new List<(Colour, PixelRect, double)>();
        foreach (var group in scanner.Scan(frame).GroupBy(b => b.Colour))
        {
            int x0 = group.Min(b => b.Box.X), y0 = group.Min(b => b.Box.Y);
            int x1 = group.Max(b => b.Box.Right), y1 = group.Max(b => b.Box.Bottom);
            // Room for the soft edge that blur and compression spread around the saturated core.
            int pad = 2 + Math.Max(x1 - x0, y1 - y0) / 5;
            x0 = Math.Max(0, x0 - pad); y0 = Math.Max(0, y0 - pad);
            x1 = Math.Min(w, x1 + pad); y1 = Math.Min(h, y1 + pad);
            double confidence = group.Sum(b => b.ColourConfidence * b.Area) / group.Sum(b => b.Area);
            result.Add((group.Key, new PixelRect(x0, y0, x1 - x0, y1 - y0), confidence));
        }
        return result;
    }

    private static (double Mass, double X, double Y) Moments(ReadOnlySpan<float> alpha, PixelRect window)
    {
        double mass = 0, sx = 0, sy = 0;
        for (int y = 0; y < window.Height; y++)
            for (int x = 0; x < window.Width; x++)
            {
                double a = alpha[y * window.Width + x];
                mass += a; sx += a * (window.X + x + 0.5); sy += a * (window.Y + y + 0.5);
            }
        return mass > 0 ? (mass, sx / mass, sy / mass) : (0, 0, 0);
    }

    /// <summary>Up to two colours that persist through the clip and are not specks next to the main object, largest first.</summary>
    private static List<Colour> SelectObjects(Dictionary<Colour, List<Observation>> tracks, int frames)
    {
        var persistent = tracks.Where(kv => kv.Value.Count >= Math.Ceiling(Presence * frames))
            .Select(kv => (Colour: kv.Key, Mass: kv.Value.Average(o => o.Mass)))
            .OrderByDescending(c => c.Mass).ThenBy(c => c.Colour).ToList();
        if (persistent.Count == 0) return [];
        double largest = persistent[0].Mass;
        return persistent.Where(c => c.Mass >= MinRelativeMass * largest).Take(2).Select(c => c.Colour).ToList();
    }

    /// <summary>The shape whose silhouette fits best over the object's largest views, and 1 − best/runner-up error.</summary>
    private static (Shape Shape, double Confidence) FitShape(ChromaScanner scanner, VideoFrames clip, Colour colour, List<Observation> track)
    {
        var errors = new double[Vocabulary.Shapes.Length];
        var alpha = new float[clip.Width * clip.Height];
        foreach (var o in track.OrderByDescending(o => o.Mass).ThenBy(o => o.Frame).Take(ShapeFrames))
        {
            scanner.Scan(clip.ReadFrame(o.Frame));
            scanner.Alpha(colour, o.Window, alpha);
            ShapeFit.AddErrors(alpha.AsSpan(0, o.Window.Width * o.Window.Height), o.Window, errors);
        }
        var ranked = Vocabulary.Shapes.OrderBy(s => errors[(int)s]).ToArray();
        double best = errors[(int)ranked[0]], second = errors[(int)ranked[1]];
        return (ranked[0], second > 0 ? 1 - best / second : 0);
    }

    private sealed record Measured(double ScreenX, double ScreenY, double FirstRadius, double LastRadius)
    {
        public double RadiusChange => Math.Log(LastRadius / FirstRadius);
    }

    /// <summary>Line fits over the track: on-screen travel over the clip (fractions of the frame), and the fitted
    /// radius at the first and last frames (radius grows linearly in the world).</summary>
    private static Measured Measure(List<Observation> track, Shape shape, int frames, int w, int h)
    {
        double area = ShapeFit.Area(shape);
        var (x0, x1) = Line(track, o => o.X, frames);
        var (y0, y1) = Line(track, o => o.Y, frames);
        var (r0, r1) = Line(track, o => Math.Sqrt(o.Mass / area), frames);
        return new Measured((x1 - x0) / w, (y1 - y0) / h, Math.Max(r0, 0.5), Math.Max(r1, 0.5));
    }

    /// <summary>Least-squares line through (frame, value), evaluated at the first and last frames of the clip.</summary>
    private static (double First, double Last) Line(List<Observation> track, Func<Observation, double> value, int frames)
    {
        double n = track.Count, st = 0, sv = 0, stt = 0, stv = 0;
        foreach (var o in track)
        {
            double v = value(o);
            st += o.Frame; sv += v; stt += (double)o.Frame * o.Frame; stv += o.Frame * v;
        }
        double denominator = n * stt - st * st;
        double slope = denominator > 0 ? (n * stv - st * sv) / denominator : 0;
        double intercept = (sv - slope * st) / n;
        return (intercept, intercept + slope * (frames - 1));
    }

    /// <summary>The nearest size on a log scale (sizes are ratios apart).</summary>
    private static ObjectSize SizeOf(double radiusFraction) =>
        Vocabulary.Sizes.MinBy(s => Math.Abs(Math.Log(radiusFraction / Vocabulary.RadiusFraction(s))));
}
