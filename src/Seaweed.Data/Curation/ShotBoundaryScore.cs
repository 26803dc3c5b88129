using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>Truth transitions of one kind and how many of them a detection of the same kind matched.</summary>
public readonly record struct KindTally(int Truth, int Found)
{
    public static KindTally operator +(KindTally a, KindTally b) => new(a.Truth + b.Truth, a.Found + b.Found);
}

/// <summary>
/// Shot-boundary detection against ground truth. Detections and truth transitions are matched one to one (a
/// maximum matching, same-kind pairs tried first); a pair may match when their frame ranges overlap or lie within
/// <see cref="Tolerance"/> frames of each other. Scores of several videos add up with <c>+</c>.
/// </summary>
public sealed record ShotBoundaryScore(int Detected, int Truth, int Matched, int KindMatched, KindTally Cuts, KindTally Dissolves, KindTally Fades)
{
    public const int Tolerance = 1;

    public static ShotBoundaryScore None { get; } = new(0, 0, 0, 0, default, default, default);

    public double Precision => Detected == 0 ? 1 : (double)Matched / Detected;
    public double Recall => Truth == 0 ? 1 : (double)Matched / Truth;
    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);

    public static ShotBoundaryScore Compute(IReadOnlyList<DetectedTransition> detected, IReadOnlyList<TransitionTruth> truth)
    {
        ArgumentNullException.ThrowIfNull(detected);
        ArgumentNullException.ThrowIfNull(truth);
        foreach (var d in detected)
            if (d is null || d.End < d.Start) throw new ArgumentException($"detection {d} has no valid frame range", nameof(detected));
        foreach (var t in truth)
            if (t is null || t.End < t.Start) throw new ArgumentException($"transition {t} has no valid frame range", nameof(truth));

        var partner = new int[detected.Count];
        Array.Fill(partner, -1);
        for (int i = 0; i < truth.Count; i++) Augment(i, new bool[detected.Count]);

        int matched = 0, kindMatched = 0;
        var tallies = new Dictionary<TransitionKind, KindTally>();
        foreach (var kind in Enum.GetValues<TransitionKind>()) tallies[kind] = default;
        foreach (var t in truth) tallies[t.Kind] += new KindTally(1, 0);
        for (int j = 0; j < detected.Count; j++)
        {
            if (partner[j] < 0) continue;
            matched++;
            var kind = truth[partner[j]].Kind;
            if (detected[j].Kind != kind) continue;
            kindMatched++;
            tallies[kind] += new KindTally(0, 1);
        }
        return new ShotBoundaryScore(detected.Count, truth.Count, matched, kindMatched,
            tallies[TransitionKind.Cut], tallies[TransitionKind.Dissolve], tallies[TransitionKind.Fade]);

        // Kuhn's augmenting path from truth i; partner[j] is the truth matched to detection j.
        bool Augment(int i, bool[] visited)
        {
            foreach (int j in Enumerable.Range(0, detected.Count).Where(j => Near(detected[j], truth[i])).OrderBy(j => detected[j].Kind == truth[i].Kind ? 0 : 1))
            {
                if (visited[j]) continue;
                visited[j] = true;
                if (partner[j] < 0 || Augment(partner[j], visited))
                {
                    partner[j] = i;
                    return true;
                }
            }
            return false;
        }
    }

    private static bool Near(DetectedTransition d, TransitionTruth t) => Math.Max(d.Start, t.Start) - Math.Min(d.End, t.End) <= Tolerance;

    public static ShotBoundaryScore operator +(ShotBoundaryScore a, ShotBoundaryScore b) =>
        new(a.Detected + b.Detected, a.Truth + b.Truth, a.Matched + b.Matched, a.KindMatched + b.KindMatched,
            a.Cuts + b.Cuts, a.Dissolves + b.Dissolves, a.Fades + b.Fades);

    public override string ToString() =>
        $"precision {Precision:F3}, recall {Recall:F3}, F1 {F1:F3} ({Matched} of {Truth} truth matched by {Detected} detections, " +
        $"{KindMatched} of the right kind: cuts {Cuts.Found}/{Cuts.Truth}, dissolves {Dissolves.Found}/{Dissolves.Truth}, fades {Fades.Found}/{Fades.Truth})";
}
