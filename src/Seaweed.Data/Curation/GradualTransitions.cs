using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>
/// Finds fades through black and dissolves. A window [Start, End) is tried for every start and every length in
/// the options' range; its ends are the frames Start − 1 and End, the last and first clean frames around it.
/// A fade is a gradual dip of mean luma well below both ends. A dissolve is a gradual, isolated change of picture
/// whose frames are blends of the two ends on an even ramp. Fades are found first and win over dissolves that
/// collide with them (part of a fade, from an end to a darker frame, is itself a ramp).
/// </summary>
internal sealed class GradualTransitions
{
    /// <summary>Among dissolve windows around one change, only those changing the picture by at least this share of
    /// the largest change compete on ramp deviation: a window that starts or ends inside the dissolve changes it by
    /// about (1 − 1/(length + 1))² ≈ 0.73 of the whole, one that also spans clean frames by about the whole.</summary>
    private const double RivalShare = 0.85;

    private readonly FrameCells cells;
    private readonly ShotDetectorOptions options;
    private readonly double[] steps;
    private readonly Dictionary<(int, int), double> distances = [];

    /// <param name="steps">steps[t] is the distance between frames t − 1 and t.</param>
    public GradualTransitions(FrameCells cells, ShotDetectorOptions options, double[] steps)
    {
        this.cells = cells;
        this.options = options;
        this.steps = steps;
    }

    public List<DetectedTransition> Find()
    {
        var found = Fades();
        foreach (var dissolve in Dissolves())
            if (!found.Any(f => Collide(f, dissolve))) found.Add(dissolve);
        return found;
    }

    /// <summary>Two transitions collide when fewer than two clean frames would separate them.</summary>
    public static bool Collide(DetectedTransition a, DetectedTransition b) => a.Start <= b.End + 1 && b.Start <= a.End + 1;

    private List<DetectedTransition> Fades()
    {
        var candidates = new List<(DetectedTransition Fade, double Depth)>();
        int count = cells.FrameCount;
        double keep = 1 - options.FadeEdge;
        for (int length = options.MinGradualFrames; length <= options.MaxGradualFrames; length++)
            for (int start = 1; start + length < count; start++)
            {
                int before = start - 1, after = start + length;
                double first = cells.Luma(before), last = cells.Luma(after);
                if (Math.Min(first, last) < options.FadeMinLuma) continue;
                if (cells.Luma(start) > keep * first || cells.Luma(after - 1) > keep * last) continue;
                if (before > 0 && first < keep * cells.Luma(before - 1)) continue;
                if (after + 1 < count && last < keep * cells.Luma(after + 1)) continue;
                double darkest = double.MaxValue, steepest = 0;
                for (int t = start; t < after; t++) darkest = Math.Min(darkest, cells.Luma(t));
                for (int t = start; t <= after; t++) steepest = Math.Max(steepest, Math.Abs(cells.Luma(t) - cells.Luma(t - 1)));
                double depth = darkest / Math.Min(first, last);
                if (depth > options.FadeDepth || steepest > options.FadeMaxStep * Math.Max(first, last)) continue;
                candidates.Add((new DetectedTransition(TransitionKind.Fade, start, after), depth));
            }
        var fades = new List<DetectedTransition>();
        foreach (var (fade, _) in candidates.OrderBy(c => c.Depth))
            if (!fades.Any(f => Collide(f, fade))) fades.Add(fade);
        return fades;
    }

    private sealed record Candidate(DetectedTransition Dissolve, double Change, double Deviation);

    private List<DetectedTransition> Dissolves()
    {
        var pending = new List<Candidate>();
        for (int length = options.MinGradualFrames; length <= options.MaxGradualFrames; length++)
            // Both ends need a clean neighbour outside, to tell a dissolve from steady motion.
            for (int start = 2; start + length + 1 < cells.FrameCount; start++)
                if (Dissolve(start, start + length) is { } candidate) pending.Add(candidate);

        var dissolves = new List<DetectedTransition>();
        while (pending.Count > 0)
        {
            var top = pending.MaxBy(c => c.Change)!;
            var best = pending
                .Where(c => c.Dissolve.Start <= top.Dissolve.End && top.Dissolve.Start <= c.Dissolve.End && c.Change >= RivalShare * top.Change)
                .MinBy(c => c.Deviation)!;
            pending.RemoveAll(c => Collide(c.Dissolve, best.Dissolve));
            dissolves.Add(best.Dissolve);
        }
        return dissolves;
    }

    private Candidate? Dissolve(int start, int end)
    {
        int before = start - 1, after = end, length = end - start;
        double xx = cells.Dot(before, before), yy = cells.Dot(after, after), xy = cells.Dot(before, after);
        double span = xx + yy - 2 * xy;
        if (span <= 0) return null;

        double deviation = 0;
        for (int t = before - 1; t <= after + 1; t++)
        {
            double ramp = Math.Clamp((double)(t - before) / (length + 1), 0, 1);
            double position = (cells.Dot(t, after) - cells.Dot(t, before) - xy + xx) / span;
            deviation = Math.Max(deviation, Math.Abs(position - ramp));
        }
        if (deviation > options.MaxRampDeviation) return null;
        for (int t = start; t < end; t++)
            if (BlendResidual(t, before, after) > options.MaxBlendResidual * span) return null;

        double change = DistanceBetween(before, after);
        if (change < options.DissolveFloor) return null;
        for (int t = start; t <= end; t++)
            if (steps[t] > options.MaxStepShare * change) return null;
        // Steady motion changes the picture as much over an equal stretch on either side; without such a
        // stretch on at least one side a dissolve cannot be told from it.
        double context = Math.Min(
            before - length - 1 >= 0 ? DistanceBetween(before - length - 1, before) : double.PositiveInfinity,
            after + length + 1 < cells.FrameCount ? DistanceBetween(after, after + length + 1) : double.PositiveInfinity);
        if (!double.IsFinite(context) || change < options.DissolveContrast * Math.Max(1, context)) return null;
        return new Candidate(new DetectedTransition(TransitionKind.Dissolve, start, end), change, deviation);
    }

    /// <summary>Squared norm of what the least-squares blend a·x + b·y of frames x and y leaves of frame t.</summary>
    private double BlendResidual(int t, int x, int y)
    {
        double xx = cells.Dot(x, x), yy = cells.Dot(y, y), xy = cells.Dot(x, y);
        double tt = cells.Dot(t, t), tx = cells.Dot(t, x), ty = cells.Dot(t, y);
        double det = xx * yy - xy * xy;
        if (det <= 1e-9 * xx * yy)
        {
            // Ends that are multiples of each other (flat greys, or one end black): blends are multiples of the other.
            var (pp, tp) = xx >= yy ? (xx, tx) : (yy, ty);
            return Math.Max(0, tt - tp * tp / pp);
        }
        double a = (tx * yy - ty * xy) / det, b = (ty * xx - tx * xy) / det;
        return Math.Max(0, tt - 2 * a * tx - 2 * b * ty + a * a * xx + b * b * yy + 2 * a * b * xy);
    }

    private double DistanceBetween(int a, int b)
    {
        if (!distances.TryGetValue((a, b), out double d)) distances[(a, b)] = d = cells.Distance(a, b);
        return d;
    }
}
