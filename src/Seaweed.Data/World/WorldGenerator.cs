namespace Seaweed.Data.World;

/// <summary>How the world samples clips. Sizes are width × height in pixels (multiples of 16 suit both VAEs).</summary>
public sealed record WorldOptions
{
    public long Seed { get; init; }
    public WorldSplit Split { get; init; } = WorldSplit.Train;
    public IReadOnlyList<(int Width, int Height)> Sizes { get; init; } = [(64, 64), (96, 64), (64, 96), (128, 64), (128, 96), (128, 128)];
    public IReadOnlyList<int> FrameCounts { get; init; } = [17];
    public double Fps { get; init; } = 8;
    public double StillFraction { get; init; } = 0.1;
    public double TwoObjectFraction { get; init; } = 0.3;
    public double PanFraction { get; init; } = 0.25;

    public void Validate()
    {
        if (Sizes.Count == 0) throw new ArgumentException("Sizes: at least one size is required", nameof(Sizes));
        foreach (var (w, h) in Sizes)
            if (w < 32 || h < 32 || w % 2 != 0 || h % 2 != 0)
                throw new ArgumentException($"Sizes: {w}x{h} must be even and at least 32x32", nameof(Sizes));
        if (FrameCounts.Count == 0 || FrameCounts.Any(n => n < 2))
            throw new ArgumentException("FrameCounts: video clips need at least 2 frames (stills come from StillFraction)", nameof(FrameCounts));
        if (!double.IsFinite(Fps) || Fps <= 0) throw new ArgumentException("Fps: must be a positive number", nameof(Fps));
        CheckFraction(StillFraction, nameof(StillFraction));
        CheckFraction(TwoObjectFraction, nameof(TwoObjectFraction));
        CheckFraction(PanFraction, nameof(PanFraction));
    }

    private static void CheckFraction(double v, string name)
    {
        if (!(v >= 0 && v <= 1)) throw new ArgumentException($"{name}: must be in [0, 1], got {v}", name);
    }
}

/// <summary>One sampled clip: its scene (render it with <see cref="Renderer"/>) and its captions.</summary>
public sealed record WorldClip(long Index, Scene Scene, Caption Caption)
{
    public SceneContent Content => Scene.Content;
    public VideoFrames Render() => Renderer.Render(Scene);
}

/// <summary>
/// Samples captioned clips of one or two shapes. Clip i depends only on (seed, i), so the same seed gives the same
/// clips in any order. The train split never contains a held-out composition; the held-out split's first object
/// always is one. If every object is static the camera pans (a fully frozen clip is footage the curator rejects),
/// and a camera only pans over a textured background, where the pan is visible.
/// </summary>
public sealed class WorldGenerator
{
    private readonly WorldOptions options;

    public WorldGenerator(WorldOptions options)
    {
        options.Validate();
        this.options = options;
    }

    public WorldOptions Options => options;

    public WorldClip Clip(long index)
    {
        var rng = WorldRandom.For(options.Seed, index, options.Split.ToString());
        var (width, height) = rng.Pick(options.Sizes);
        // Held-out compositions are triples with a motion, so the held-out split has no stills.
        bool still = options.Split == WorldSplit.Train && rng.Chance(options.StillFraction);
        int frames = still ? 1 : rng.Pick(options.FrameCounts);
        var scene = SampleScene(rng, width, height, frames, still);
        return new WorldClip(index, scene, CaptionGrammar.Write(scene.Content, rng.Next(0, CaptionGrammar.Variants)));
    }

    public IEnumerable<WorldClip> Clips(long start, int count)
    {
        for (long i = start; i < start + count; i++) yield return Clip(i);
    }

    /// <summary>A scene for given content at a given size, placed at random (used for footage and prompts too).</summary>
    public static Scene Place(WorldRandom rng, SceneContent content, int width, int height, int frames, double fps)
    {
        for (int attempt = 0; attempt < 200; attempt++)
        {
            var first = PlaceObject(rng, content.First, content, width, height, frames);
            if (first is null) continue;
            if (content.Second is null) return Build(content, first, null);
            var second = PlaceObject(rng, content.Second, content, width, height, frames);
            if (second is not null && Apart(content, first, second, width, height, frames)) return Build(content, first, second);
        }
        throw new ArgumentException($"content does not fit a {width}x{height} frame: {content}", nameof(content));

        Scene Build(SceneContent c, SceneObject a, SceneObject? b) =>
            new(c, a, b, width, height, frames, fps, rng.Uniform(0, 1000), rng.Uniform(0, 1000));
    }

    private Scene SampleScene(WorldRandom rng, int width, int height, int frames, bool still)
    {
        var first = SampleObject(rng, still, heldOut: options.Split == WorldSplit.HeldOut, except: null);
        var second = rng.Chance(options.TwoObjectFraction) ? SampleObject(rng, still, heldOut: false, except: first.Colour) : null;
        var content = new SceneContent(first, second, rng.Pick(Vocabulary.Backgrounds), CameraPan.None);
        if (AllStatic(content) || (!still && rng.Chance(options.PanFraction))) content = WithPan(content, rng);
        // Fall back to fewer moving parts when a placement cannot fit: first without the pan, then without the second object.
        foreach (var candidate in Fallbacks(content, rng))
        {
            try { return Place(rng, candidate, width, height, frames, options.Fps); }
            catch (ArgumentException) { }
        }
        throw new InvalidOperationException($"no placement for a single {first} in {width}x{height}");
    }

    private static bool AllStatic(SceneContent c) => !c.IsStill && c.Objects.All(o => o.Motion == Motion.Static);

    private static SceneContent WithPan(SceneContent c, WorldRandom rng) => c with
    {
        Camera = (CameraPan)rng.Next(1, Vocabulary.Pans.Length),
        Background = Vocabulary.IsTextured(c.Background) ? c.Background : (Background)rng.Next((int)Background.Checkered, Vocabulary.Backgrounds.Length),
    };

    private static IEnumerable<SceneContent> Fallbacks(SceneContent content, WorldRandom rng)
    {
        yield return content;
        if (content.Camera != CameraPan.None && !AllStatic(content)) yield return content with { Camera = CameraPan.None };
        if (content.Second is not null)
        {
            var single = content with { Second = null };
            yield return AllStatic(single) ? (single.Camera == CameraPan.None ? WithPan(single, rng) : single) : single with { Camera = CameraPan.None };
        }
    }

    private static ObjectContent SampleObject(WorldRandom rng, bool still, bool heldOut, Colour? except)
    {
        var size = rng.Pick(Vocabulary.Sizes);
        if (heldOut && !still)
        {
            var k = rng.Pick(HeldOut.All);
            return new ObjectContent(k.Colour, k.Shape, size, k.Motion);
        }
        while (true)
        {
            var colour = rng.Pick(Vocabulary.Colours);
            if (colour == except) continue;
            var shape = rng.Pick(Vocabulary.Shapes);
            Motion? motion = still ? null : rng.Pick(Vocabulary.Motions);
            if (motion is { } m && HeldOut.IsHeldOut(new Composition(colour, shape, m))) continue;
            return new ObjectContent(colour, shape, size, motion);
        }
    }

    private const double Margin = 1.0;

    /// <summary>A start position whose whole on-screen path stays inside the frame, or null if there is none.</summary>
    private static SceneObject? PlaceObject(WorldRandom rng, ObjectContent o, SceneContent content, int width, int height, int frames)
    {
        double r = Vocabulary.RadiusFraction(o.Size) * Math.Min(width, height);
        double rMax = r * Math.Max(1, Kinematics.RadiusScale(o.Motion, 1));
        var (dx, dy) = Kinematics.Travel(o.Motion, width, height);
        var (cx, cy) = Kinematics.CameraTravel(content.Camera, width, height);
        double sx = dx - cx, sy = dy - cy;
        double xLo = rMax + Margin - Math.Min(0, sx), xHi = width - rMax - Margin - Math.Max(0, sx);
        double yLo = rMax + Margin - Math.Min(0, sy), yHi = height - rMax - Margin - Math.Max(0, sy);
        if (xLo > xHi || yLo > yHi) return null;
        return new SceneObject(o, rng.Uniform(xLo, xHi), rng.Uniform(yLo, yHi), r);
    }

    /// <summary>Two objects never come closer than their radii plus a gap, so both stay readable on every frame.</summary>
    private static bool Apart(SceneContent content, SceneObject a, SceneObject b, int width, int height, int frames)
    {
        var probe = new Scene(content, a, b, width, height, frames, 1, 0, 0);
        for (int t = 0; t < frames; t++)
        {
            double p = probe.Progress(t);
            var (ax, ay, ar) = Kinematics.ScreenAt(probe, a, p);
            var (bx, by, br) = Kinematics.ScreenAt(probe, b, p);
            if (Math.Sqrt((ax - bx) * (ax - bx) + (ay - by) * (ay - by)) < 1.2 * (ar + br) + 2) return false;
        }
        return true;
    }
}
