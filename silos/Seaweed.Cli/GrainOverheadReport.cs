using Seaweed.Parallel;
using Seaweed.Training.Checkpoints;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>Seconds of one path's step by where they went (medians over the timed steps), or the grain path's
/// excess over the plain one in each part (medians of same-step differences, as fractions of the plain step).</summary>
internal sealed record StepBreakdown(double Compute, double Transport, double Dispatch);

/// <param name="Threads">libtorch's intra-op threads on each rank's device thread, per path.</param>
/// <param name="Ratios">Each timed step's grain time over its plain time: the same batch on both paths.</param>
/// <param name="Ratio">The median of <paramref name="Ratios"/>; <paramref name="Overhead"/> is it minus one.</param>
/// <param name="SameBatches">Whether every rank's loss agreed on both paths at every step (to 1e-6 relative).</param>
/// <param name="WeightDifference">The largest difference between the paths' final shards and optimizer state, relative
/// to the largest magnitude of its tensor; <paramref name="SameWeights"/> when at most 1e-6.</param>
/// <param name="OverheadBy">The grain path's extra time per part (see <see cref="StepBreakdown"/>).</param>
internal sealed record GrainOverheadReport(
    int Ranks, int Batch, int Resolution, PathThreads Threads,
    double PlainSeconds, double GrainSeconds, double Ratio, double RatioMin, double RatioMax,
    double Overhead, double Goal, bool GoalMet, bool SameBatches, double WeightDifference, bool SameWeights,
    StepBreakdown Plain, StepBreakdown Grains, StepBreakdown OverheadBy,
    IReadOnlyList<double> PlainSteps, IReadOnlyList<double> GrainSteps, IReadOnlyList<double> Ratios)
{
    /// <summary>How close two runs must agree to count as the same work.</summary>
    public const double Tolerance = 1e-6;

    public static GrainOverheadReport Of(BenchGrainOverhead.Options o, PathThreads threads, IReadOnlyList<PathStep> plain, IReadOnlyList<PathStep> grains,
        double weightDifference)
    {
        var pairs = plain.Zip(grains).ToArray();
        var ratios = pairs.Select(s => s.Second.Seconds / s.First.Seconds).ToArray();
        double ratio = Median.Of(ratios);
        bool same = pairs.All(s => s.First.Losses.Zip(s.Second.Losses).All(l => Close(l.First, l.Second)));
        double Excess(Func<PathStep, double> part) => R(Median.Of(pairs.Select(s => (part(s.Second) - part(s.First)) / s.First.Seconds)));
        return new GrainOverheadReport(o.Ranks, o.Batch, o.Resolution, threads,
            R(Median.Of(plain.Select(s => s.Seconds))), R(Median.Of(grains.Select(s => s.Seconds))),
            R(ratio), R(ratios.Min()), R(ratios.Max()), R(ratio - 1), BenchGrainOverhead.Goal, ratio - 1 <= BenchGrainOverhead.Goal, same,
            weightDifference, weightDifference <= Tolerance,
            Breakdown(plain), Breakdown(grains), new StepBreakdown(Excess(s => s.Compute), Excess(s => s.Transport), Excess(s => s.Dispatch)),
            plain.Select(s => R(s.Seconds)).ToArray(), grains.Select(s => R(s.Seconds)).ToArray(), ratios.Select(R).ToArray());
    }

    /// <summary>
    /// The largest difference between two paths' final states, each tensor's relative to its largest magnitude;
    /// infinity when they do not hold the same tensors.
    /// </summary>
    public static double WeightDifferenceOf(IReadOnlyList<RankSnapshot> plain, IReadOnlyList<RankSnapshot> grains)
    {
        if (plain.Count != grains.Count) return double.PositiveInfinity;
        using var scope = NewDisposeScope();
        double worst = 0;
        foreach (var (p, g) in plain.Zip(grains))
        {
            if (p.Step != g.Step || p.Tensors.Count != g.Tensors.Count) return double.PositiveInfinity;
            foreach (var (name, a) in p.Tensors)
            {
                if (!g.Tensors.TryGetValue(name, out var b) || !a.shape.SequenceEqual(b.shape)) return double.PositiveInfinity;
                var (x, y) = (a.to(float64), b.to(float64));
                double difference = (x - y).abs().max().item<double>(), scale = y.abs().max().item<double>();
                if (difference > 0) worst = Math.Max(worst, scale > 0 ? difference / scale : double.PositiveInfinity);
            }
        }
        return worst;
    }

    private static bool Close(double a, double b) => Math.Abs(a - b) <= Tolerance * Math.Abs(b);

    private static StepBreakdown Breakdown(IReadOnlyList<PathStep> steps) =>
        new(R(Median.Of(steps.Select(s => s.Compute))), R(Median.Of(steps.Select(s => s.Transport))), R(Median.Of(steps.Select(s => s.Dispatch))));

    private static double R(double x) => Math.Round(x, 5);
}

/// <summary>libtorch's intra-op threads on each rank's device thread, per path; <see cref="Same"/> when they agree.</summary>
internal sealed record PathThreads(IReadOnlyList<int> Plain, IReadOnlyList<int> Grains)
{
    public bool Same => Plain.SequenceEqual(Grains);
}
