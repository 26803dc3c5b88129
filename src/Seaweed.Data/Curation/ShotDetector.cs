using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>
/// Splits a video (letterbox bars already cropped off) into shots joined by cuts, dissolves and fades through
/// black. Frames are reduced to cell means (<see cref="FrameCells"/>); gradual transitions are found first
/// (<see cref="GradualTransitions"/>), then cuts: single steps that are large both absolutely and against the
/// steps around them. Pure and deterministic.
/// </summary>
public sealed class ShotDetector
{
    private readonly ShotDetectorOptions options;

    public ShotDetector(ShotDetectorOptions? options = null)
    {
        options ??= new ShotDetectorOptions();
        options.Validate();
        this.options = options;
    }

    public ShotDetection Detect(VideoFrames video)
    {
        ArgumentNullException.ThrowIfNull(video);
        var cells = new FrameCells(video, options.MaxGradualFrames + 2);
        var steps = new double[video.FrameCount];
        for (int t = 1; t < steps.Length; t++) steps[t] = cells.Distance(t - 1, t);

        var transitions = new GradualTransitions(cells, options, steps).Find();
        foreach (var cut in Cuts(steps))
            if (!transitions.Any(g => GradualTransitions.Collide(g, cut))) transitions.Add(cut);
        transitions.Sort((a, b) => a.Start.CompareTo(b.Start));

        var shots = new List<ShotSpan>(transitions.Count + 1);
        int shotStart = 0;
        foreach (var transition in transitions)
        {
            shots.Add(new ShotSpan(shotStart, transition.Start));
            shotStart = transition.End;
        }
        shots.Add(new ShotSpan(shotStart, video.FrameCount));
        return new ShotDetection(shots, transitions);
    }

    private IEnumerable<DetectedTransition> Cuts(double[] steps)
    {
        for (int t = 1; t < steps.Length; t++)
        {
            if (steps[t] < options.CutFloor) continue;
            double? before = Median(steps, Math.Max(1, t - options.ContextFrames), t);
            double? after = Median(steps, t + 1, Math.Min(steps.Length, t + 1 + options.ContextFrames));
            // With no step to compare against (a two-frame video), assume the worst a shot does: the floor itself.
            double baseline = Math.Max(before ?? 0, after ?? 0);
            if (before is null && after is null) baseline = options.CutFloor;
            if (steps[t] >= options.CutContrast * baseline) yield return new DetectedTransition(TransitionKind.Cut, t, t);
        }
    }

    /// <summary>Upper median of values[from..to); null when empty (the start or end of the video).</summary>
    private static double? Median(double[] values, int from, int to)
    {
        if (to <= from) return null;
        var window = values[from..to];
        Array.Sort(window);
        return window[window.Length / 2];
    }
}
