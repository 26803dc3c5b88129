using System.CommandLine;
using System.Diagnostics;
using Seaweed.Model;
using Seaweed.Parallel.Balance;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench balance</c>: Seaweed's runtime balance on an image+video batch. The cost table is measured
/// here (tiny-DiT forward+backward by sequence length); the balanced plan is compared with the equal-count split,
/// simulated at several rank counts and measured serially: every sample of one 4-rank batch is run on this thread,
/// one after another, and each rank's time is the sum of its samples' times.
/// </summary>
internal static class BenchBalance
{
    /// <summary>The target: the slowest rank at most 5% above the mean.</summary>
    private const double Goal = 1.05;

    private static readonly int[] SimulatedRanks = [8, 64, 1024];
    private const int MeasuredRanks = 4;

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var samplesPerRank = new Option<int>("--samples-per-rank") { Description = "Samples per rank in the simulated global batches", DefaultValueFactory = _ => 16 };
        var measuredPerRank = new Option<int>("--measured-samples-per-rank") { Description = $"Samples per rank in the {MeasuredRanks}-rank batch that is run serially (one sample at a time on one thread, summed per rank)", DefaultValueFactory = _ => 8 };
        var maxFrames = new Option<int>("--max-frames") { Description = "Longest video in latent frames (an image is one frame)", DefaultValueFactory = _ => 16 };
        var repeats = new Option<int>("--repeats") { Description = "Timed steps per profiled length and per sample run (the fastest kept)", DefaultValueFactory = _ => 3 };
        var seed = new Option<int>("--seed") { Description = "Seed of the length mix and of the model", DefaultValueFactory = _ => 7 };
        var clock = new Option<string>("--clock")
        {
            Description = "cpu: single-threaded steps timed by process CPU time (steady on a shared machine); wall: elapsed time on the configured threads",
            DefaultValueFactory = _ => "cpu",
        };
        var command = new Command("balance", "Runtime balance of an image+video batch: max/mean rank cost, balanced vs equal-count split, simulated and measured serially on one thread")
        {
            json, samplesPerRank, measuredPerRank, maxFrames, repeats, seed, clock,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal => Run(terminal, new Options(
            OptionValue.AtLeast("--samples-per-rank", parse.GetValue(samplesPerRank), 1),
            OptionValue.AtLeast("--measured-samples-per-rank", parse.GetValue(measuredPerRank), 1),
            OptionValue.AtLeast("--max-frames", parse.GetValue(maxFrames), 3),
            OptionValue.AtLeast("--repeats", parse.GetValue(repeats), 1),
            parse.GetValue(seed), Clock(parse.GetValue(clock)!)), parse.GetValue(json))));
        return command;
    }

    private sealed record Options(int SamplesPerRank, int MeasuredPerRank, int MaxFrames, int Repeats, int Seed, StepClock Clock);

    private static StepClock Clock(string name) => name switch
    {
        "cpu" => StepClock.ProcessCpu,
        "wall" => StepClock.Wall,
        _ => throw new ConfigException("--clock", $"'{name}' is not one of: cpu, wall"),
    };

    /// <summary>A tiny DiT at 256 latent tokens per frame (256×256 pixels, VAE ×8, patch 2×2): cheap enough to profile here.</summary>
    private static SeaweedConfig Model() => Presets.Tiny with
    {
        Name = "bench-balance",
        Video = new VideoSize(1, 256, 256),
        Dit = Presets.Tiny.Dit with { Hidden = 64, Layers = 2, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
    };

    private static int Run(Terminal terminal, Options o, bool json)
    {
        int threads = get_num_threads();
        if (o.Clock == StepClock.ProcessCpu) set_num_threads(1);
        try
        {
            return Run(terminal, o, json, get_num_threads());
        }
        finally
        {
            set_num_threads(threads);
        }
    }

    private static int Run(Terminal terminal, Options o, bool json, int threads)
    {
        var config = Model().Validate();
        // Every length the mix can produce is in the table, as in Seaweed's: interpolation only serves other lengths.
        var frames = Enumerable.Range(1, o.MaxFrames).ToArray();
        int measuredSamples = MeasuredRanks * o.MeasuredPerRank;
        var report = terminal.WithProgress("bench balance", 1 + 2 * o.Repeats, progress =>
        {
            using var profiler = new DitRuntimeProfiler(config, o.Seed, o.Clock);
            var table = profiler.Profile(frames, o.Repeats, progress);
            var lookup = new LookupCostModel(table);
            var mix = new ImageVideoMix((int)profiler.TokensPerFrame, o.MaxFrames);
            var simulated = SimulatedRanks
                .SelectMany(ranks => new (string, ISampleCost)[] { ("lookup", lookup), ("fit", lookup.Fit) }
                    .Select(m => Simulate(mix, m.Item1, m.Item2, ranks, o.SamplesPerRank, o.Seed)))
                .ToArray();
            var measured = Measure(profiler, lookup, mix.Lengths(measuredSamples, o.Seed + 1), o.Repeats, progress, 1 + o.Repeats);
            return new BalanceBenchReport(
                new ProfiledModel(config.Dit.Hidden, config.Dit.Layers, config.Dit.Heads, profiler.TokensPerFrame, o.Repeats, o.Clock, threads),
                table.Select(t => new ProfiledLength(t.Tokens, Math.Round(t.Seconds, 5))).ToArray(),
                Fit.From(lookup.Fit, table),
                new Mix(mix.ImageTokens, mix.MaxVideoFrames, mix.VideoFraction, o.Seed),
                simulated, measured, new BalanceGoal(Goal, measured.Balanced.MaxOverMean <= Goal,
                    simulated.All(s => s.Lpt <= Goal)));
        });
        if (json) terminal.WriteJson(report);
        else Print(terminal.Console, report);
        return 0;
    }

    private static SimulatedBalance Simulate(ImageVideoMix mix, string model, ISampleCost cost, int ranks, int samplesPerRank, int seed)
    {
        var lengths = mix.Lengths(ranks * samplesPerRank, seed);
        var costs = lengths.Select(cost.Cost).ToArray();
        double MaxOverMean(int[][] plan) => Math.Round(BalanceReport.For(costs, plan).MaxOverMean, 4);
        var clock = Stopwatch.StartNew();
        var lpt = RuntimeBalancer.Assign(costs, ranks);
        double planMs = clock.Elapsed.TotalMilliseconds;
        var equal = RuntimeBalancer.Assign(costs, ranks, BalanceMethod.EqualCount);
        // Balancing token counts instead of runtime: what a linear cost model would do.
        var byTokens = RuntimeBalancer.Assign(lengths.Select(l => (double)l).ToArray(), ranks);
        return new SimulatedBalance(ranks, lengths.Length, model,
            MaxOverMean(lpt), MaxOverMean(RuntimeBalancer.Assign(costs, ranks, BalanceMethod.KarmarkarKarp)),
            MaxOverMean(byTokens), MaxOverMean(equal),
            Math.Round(BalanceReport.For(costs, equal).Max / BalanceReport.For(costs, lpt).Max, 3), Math.Round(planMs, 2));
    }

    /// <summary>
    /// Plans one batch both ways with the lookup table, then runs every rank's samples for real, one sample at a
    /// time (the ranks would otherwise compete for the same cores). Each pass takes the k-th sample of every rank
    /// under both plans in turn, so drift in the machine's load hits all ranks and both plans alike; each sample
    /// counts its fastest of the passes, as the table does.
    /// </summary>
    private static MeasuredBalance Measure(DitRuntimeProfiler profiler, LookupCostModel lookup, long[] lengths, int repeats, IProgress<int> progress, int ticksBefore)
    {
        var costs = lengths.Select(lookup.Cost).ToArray();
        var plans = new[] { RuntimeBalancer.Assign(costs, MeasuredRanks), RuntimeBalancer.Assign(costs, MeasuredRanks, BalanceMethod.EqualCount) };
        var fastest = plans.Select(_ => lengths.Select(_ => double.MaxValue).ToArray()).ToArray();
        int longest = plans.Max(plan => plan.Max(rank => rank.Length));
        for (int pass = 0; pass < repeats; pass++)
        {
            for (int k = 0; k < longest; k++)
                for (int r = 0; r < MeasuredRanks; r++)
                    for (int p = 0; p < plans.Length; p++)
                        if (k < plans[p][r].Length)
                        {
                            int i = plans[p][r][k];
                            fastest[p][i] = Math.Min(fastest[p][i], profiler.Step(profiler.Frames(lengths[i])));
                        }
            progress.Report(ticksBefore + pass + 1);
        }
        MeasuredPlan Result(int p)
        {
            var seconds = plans[p].Select(rank => rank.Sum(i => fastest[p][i])).ToArray();
            var predicted = BalanceReport.For(costs, plans[p]);
            return new MeasuredPlan(
                Math.Round(seconds.Max() / seconds.Average(), 4), Math.Round(predicted.MaxOverMean, 4),
                seconds.Select(s => Math.Round(s, 4)).ToArray(), predicted.Loads.Select(c => Math.Round(c, 5)).ToArray(),
                plans[p].Select(r => r.Length).ToArray());
        }
        var balanced = Result(0);
        var equal = Result(1);
        return new MeasuredBalance(MeasuredRanks, lengths.Length, balanced, equal, Math.Round(equal.RankSeconds.Max() / balanced.RankSeconds.Max(), 3));
    }

    private static void Print(IAnsiConsole console, BalanceBenchReport r)
    {
        console.MarkupLine($"cost table: tiny DiT (hidden {r.Model.Hidden}, {r.Model.Layers} layers), forward+backward of one sample, {r.Model.TokensPerFrame} tokens per frame, {r.Model.Clock} clock on {r.Model.Threads} thread(s)");
        var profile = new Table().AddColumns("tokens", "seconds", "fit");
        foreach (var p in r.Profile)
            profile.AddRow($"{p.Tokens}", $"{p.Seconds:F4}", $"{r.Fit.A * p.Tokens * p.Tokens + r.Fit.B * p.Tokens + r.Fit.C:F4}");
        console.Write(profile);
        console.MarkupLine($"fit: a = {r.Fit.A:E3}, b = {r.Fit.B:E3}, c = {r.Fit.C:E3} (max relative error {r.Fit.MaxRelativeError:P1})");
        var table = new Table().AddColumns("ranks", "samples", "cost", "LPT", "Karmarkar–Karp", "by tokens", "equal count", "speed-up", "plan ms");
        foreach (var s in r.Simulated)
            table.AddRow($"{s.Ranks}", $"{s.Samples}", s.CostModel, $"{s.Lpt:F3}", $"{s.KarmarkarKarp:F3}", $"{s.TokenBalanced:F3}", $"{s.EqualCount:F3}", $"{s.SpeedupOverEqualCount:F2}×", $"{s.PlanMilliseconds:F1}");
        console.MarkupLine("simulated max/mean rank cost:");
        console.Write(table);
        var m = r.MeasuredSerially;
        console.MarkupLine($"measured serially at {m.Ranks} ranks ({m.Samples} samples run one after another on one thread, summed per rank): balanced max/mean [bold]{m.Balanced.MaxOverMean:F3}[/] (predicted {m.Balanced.PredictedMaxOverMean:F3}), " +
                           $"equal count {m.EqualCount.MaxOverMean:F3} (predicted {m.EqualCount.PredictedMaxOverMean:F3}); step {m.Speedup:F2}× faster");
        console.MarkupLine($"goal: balanced max/mean ≤ {r.Goal.MaxOverMean} — measured serially {(r.Goal.MeasuredSeriallyMet ? "met" : "[red]missed[/]")}, simulated {(r.Goal.SimulatedMet ? "met" : "[red]missed[/]")}");
    }
}

internal sealed record ProfiledModel(int Hidden, int Layers, int Heads, long TokensPerFrame, int Repeats, StepClock Clock, int Threads);

internal sealed record ProfiledLength(long Tokens, double Seconds);

internal sealed record Fit(double A, double B, double C, double MaxRelativeError)
{
    public static Fit From(CostModel fit, IReadOnlyList<(long Tokens, double Seconds)> table) =>
        new(fit.A, fit.B, fit.C, Math.Round(table.Max(t => Math.Abs(fit.Cost(t.Tokens) - t.Seconds) / t.Seconds), 4));
}

internal sealed record Mix(int ImageTokens, int MaxVideoFrames, double VideoFraction, int Seed);

/// <param name="Lpt">max/mean of the LPT plan under <paramref name="CostModel"/>; the other plans likewise.</param>
/// <param name="TokenBalanced">LPT on token counts (a linear cost), scored by runtime.</param>
/// <param name="SpeedupOverEqualCount">Step time (the slowest rank) of the equal-count split over the LPT plan's.</param>
internal sealed record SimulatedBalance(
    int Ranks, int Samples, string CostModel, double Lpt, double KarmarkarKarp, double TokenBalanced, double EqualCount,
    double SpeedupOverEqualCount, double PlanMilliseconds);

/// <param name="MaxOverMean">Of the measured per-rank seconds.</param>
/// <param name="PredictedMaxOverMean">Of <paramref name="RankCosts"/>.</param>
/// <param name="RankCosts">Each rank's seconds predicted by the lookup table for the same plan.</param>
internal sealed record MeasuredPlan(double MaxOverMean, double PredictedMaxOverMean, double[] RankSeconds, double[] RankCosts, int[] RankSamples);

/// <summary>One batch run serially: each sample on this thread in turn, a rank's seconds the sum of its samples'.</summary>
/// <param name="Speedup">Measured step time (the slowest rank) of the equal-count split over the balanced plan's.</param>
internal sealed record MeasuredBalance(int Ranks, int Samples, MeasuredPlan Balanced, MeasuredPlan EqualCount, double Speedup);

internal sealed record BalanceGoal(double MaxOverMean, bool MeasuredSeriallyMet, bool SimulatedMet);

internal sealed record BalanceBenchReport(
    ProfiledModel Model, ProfiledLength[] Profile, Fit Fit, Mix Mix, SimulatedBalance[] Simulated, MeasuredBalance MeasuredSerially, BalanceGoal Goal);
