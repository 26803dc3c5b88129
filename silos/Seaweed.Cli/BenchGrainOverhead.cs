using System.CommandLine;
using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Compute;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Parallel;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training;
using Seaweed.Training.Ranks;
using Seaweed.Training.Samples;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench grain-overhead</c>: one training step of the recipe's rank trainers driven through rank grains
/// (a grain call per rank, the step on the rank's device thread, collectives as grain calls) against the same step
/// of the same config in a plain loop (the trainers on dedicated threads over the in-process transport). Both paths
/// train the same config from the same seed, so step k draws the same batch on both (every draw derives from seed,
/// step and sample; equal losses show it): each step's grain time is compared with the plain time of that same
/// step, which cancels the batch-to-batch spread of step times. The two step alternately, in alternating order, so
/// load drift on the machine hits both alike.
/// </summary>
internal static class BenchGrainOverhead
{
    /// <summary>The target: a step through grains at most 5% slower than the plain loop.</summary>
    public const double Goal = 0.05;

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var ranks = new Option<int>("--ranks") { Description = "Data-parallel ranks", DefaultValueFactory = _ => 2 };
        var steps = new Option<int>("--steps") { Description = "Timed steps per path (median reported), after one warm-up step", DefaultValueFactory = _ => 5 };
        var batch = new Option<int>("--batch") { Description = "Samples per global batch", DefaultValueFactory = _ => 4 };
        var resolution = new Option<int>("--resolution") { Description = "Image side in pixels (the tiny model's grid)", DefaultValueFactory = _ => 64 };
        var command = new Command("grain-overhead", "A training step through rank grains vs the same step in a plain loop (goal: ≤ 5% slower)")
        {
            json, ranks, steps, batch, resolution,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            int n = OptionValue.AtLeast("--ranks", parse.GetValue(ranks), 1);
            var options = new Options(n, OptionValue.AtLeast("--steps", parse.GetValue(steps), 1), OptionValue.AtLeast("--batch", parse.GetValue(batch), n), parse.GetValue(resolution));
            return RunAsync(terminal, options, parse.GetValue(json)).GetAwaiter().GetResult();
        }));
        return command;
    }

    private sealed record Options(int Ranks, int Steps, int Batch, int Resolution)
    {
        /// <summary>One image stage at one size, so every step costs the same.</summary>
        public string Config => $$"""
            { "model": "tiny", "parallel": { "ranks": {{Ranks}}, "dp": {{Ranks}} }, "steps": {{Steps + 1}}, "globalBatch": {{Batch}}, "seed": 1,
              "curriculum": [ { "name": "bench", "fraction": 1.0, "images": { "resolutions": [{{Resolution}}] } } ],
              "optimizer": { "warmupSteps": 1 }, "checkpoints": { "every": {{Steps + 1}} } }
            """;
    }

    private static async Task<int> RunAsync(Terminal terminal, Options o, bool json)
    {
        var config = TrainingConfig.FromJson(o.Config);
        var settings = SiloSettings.Load();
        var store = ArtefactStoreFactory.Create(settings.Artefacts);
        var report = await terminal.WithProgressAsync($"bench grain-overhead ({o.Ranks} ranks)", 2 * (o.Steps + 1) + 2, async bar =>
        {
            int done = 0;
            void Tick() => bar.Report(++done);
            using var plain = await PlainRanks.StartAsync(config);
            Tick();
            await using var cluster = await EmbeddedCluster.StartAsync(1, 1, store, new CurationOptions(), settings.StateDirectory,
                (_, silo) => silo.AddDevices(new DeviceOptions { Count = o.Ranks }).AddRankTrainer(TrainingRunRequest.RecipeTrainer, new RecipeTrainer()));
            var grains = await GrainRanks.PrepareAsync(cluster.Grains, o.Ranks, o.Config);
            Tick();
            var (plainSteps, grainSteps) = (new List<PathStep>(), new List<PathStep>());
            for (long step = 0; step <= o.Steps; step++)
            {
                PathStep p, g;
                if (step % 2 == 0)
                {
                    p = await plain.Step();
                    Tick();
                    g = await grains.Step(step);
                }
                else
                {
                    g = await grains.Step(step);
                    Tick();
                    p = await plain.Step();
                }
                Tick();
                if (step == 0) continue; // warm-up: first-touch allocations, JIT
                plainSteps.Add(p);
                grainSteps.Add(g);
            }
            await grains.ReleaseAsync();
            return GrainOverheadReport.Of(o.Ranks, o.Batch, o.Resolution, plainSteps, grainSteps);
        });
        if (json) terminal.WriteJson(report);
        else Print(terminal.Console, report);
        return 0;
    }

    private static void Print(IAnsiConsole console, GrainOverheadReport r)
    {
        var table = new Table().AddColumns("path", "s / step (median)", "steps");
        table.AddRow("plain loop", $"{r.PlainSeconds:F4}", string.Join(" ", r.PlainSteps.Select(s => $"{s:F3}")));
        table.AddRow("rank grains", $"{r.GrainSeconds:F4}", string.Join(" ", r.GrainSteps.Select(s => $"{s:F3}")));
        table.AddRow("grains / plain", $"{r.Ratio:F3}", string.Join(" ", r.Ratios.Select(s => $"{s:F3}")));
        console.Write(table);
        console.MarkupLine($"grain overhead [bold]{r.Overhead:P1}[/] (same-step ratios {r.RatioMin:F3}–{r.RatioMax:F3}; same batches: {(r.SameBatches ? "yes" : "[red]no[/]")}; goal ≤ {r.Goal:P0}: {(r.GoalMet ? "[green]met[/]" : "[red]missed[/]")})");
    }

    /// <summary>The recipe's rank trainers on dedicated threads over the in-process transport.</summary>
    private sealed class PlainRanks : IDisposable
    {
        private readonly CpuWorkerPool[] threads;
        private RankTrainer[] trainers = [];

        private PlainRanks(int ranks) => threads = Enumerable.Range(0, ranks).Select(r => new CpuWorkerPool(1, $"seaweed-plain{r}")).ToArray();

        public static async Task<PlainRanks> StartAsync(TrainingConfig config)
        {
            var ranks = new PlainRanks(config.Parallel.Ranks);
            var transports = InProcessTransport.Create(config.Parallel.Ranks);
            // Built side by side: the trainers synchronise their initial weights with collectives.
            ranks.trainers = await Task.WhenAll(ranks.threads.Select((t, r) => t.Run(() =>
                new RankTrainer(config, r, transports[r], SampleSources.OpenAsync(config, null).GetAwaiter().GetResult()))));
            return ranks;
        }

        public async Task<PathStep> Step()
        {
            var watch = Stopwatch.StartNew();
            var metrics = await Task.WhenAll(threads.Select((t, r) => t.Run(() => trainers[r].Step())));
            return new(watch.Elapsed.TotalSeconds, metrics[0].Loss);
        }

        public void Dispose()
        {
            for (int r = 0; r < threads.Length; r++)
            {
                if (r < trainers.Length) threads[r].Run(() => { trainers[r].Dispose(); return true; }).GetAwaiter().GetResult();
                threads[r].Dispose();
            }
        }
    }

    /// <summary>The same trainers as rank grains on one embedded silo, a device each, stepped by grain calls.</summary>
    private sealed class GrainRanks(IRankGrain[] ranks)
    {
        public static async Task<GrainRanks> PrepareAsync(IGrainFactory grains, int n, string config)
        {
            string run = $"bench-grain-overhead-{Guid.NewGuid():N}";
            var ranks = Enumerable.Range(0, n).Select(r => grains.GetGrain<IRankGrain>(TrainingKeys.Rank(run, r))).ToArray();
            var collectives = new CollectiveOptions();
            await Task.WhenAll(ranks.Select((g, r) => g.Prepare(new RankSetup(run, r, n, 1, TrainingRunRequest.RecipeTrainer, config, null, null, collectives.Timeout, collectives.MaxMessageBytes))));
            return new GrainRanks(ranks);
        }

        public async Task<PathStep> Step(long step)
        {
            var watch = Stopwatch.StartNew();
            var reports = await Task.WhenAll(ranks.Select(g => g.Step(1, step)));
            return new(watch.Elapsed.TotalSeconds, reports[0].Loss);
        }

        public Task ReleaseAsync() => Task.WhenAll(ranks.Select(g => g.Release()));
    }
}

/// <summary>One step of one path: its wall time and rank 0's loss (equal on both paths when they drew the same batch).</summary>
internal readonly record struct PathStep(double Seconds, double Loss);

/// <param name="Ratios">Each timed step's grain time over its plain time: the same batch on both paths.</param>
/// <param name="Ratio">The median of <paramref name="Ratios"/>; <paramref name="Overhead"/> is it minus one.</param>
/// <param name="SameBatches">Whether every step's loss agreed on both paths (to 1e-5 relative).</param>
internal sealed record GrainOverheadReport(
    int Ranks, int Batch, int Resolution, double PlainSeconds, double GrainSeconds, double Ratio, double RatioMin, double RatioMax,
    double Overhead, double Goal, bool GoalMet, bool SameBatches,
    IReadOnlyList<double> PlainSteps, IReadOnlyList<double> GrainSteps, IReadOnlyList<double> Ratios)
{
    public static GrainOverheadReport Of(int ranks, int batch, int resolution, IReadOnlyList<PathStep> plain, IReadOnlyList<PathStep> grains)
    {
        var ratios = plain.Zip(grains, (p, g) => g.Seconds / p.Seconds).ToArray();
        double ratio = Median.Of(ratios);
        bool same = plain.Zip(grains).All(s => Math.Abs(s.First.Loss - s.Second.Loss) <= 1e-5 * Math.Abs(s.First.Loss));
        static double R(double x) => Math.Round(x, 5);
        return new GrainOverheadReport(ranks, batch, resolution, R(Median.Of(plain.Select(s => s.Seconds))), R(Median.Of(grains.Select(s => s.Seconds))),
            R(ratio), R(ratios.Min()), R(ratios.Max()), R(ratio - 1), BenchGrainOverhead.Goal, ratio - 1 <= BenchGrainOverhead.Goal, same,
            plain.Select(s => R(s.Seconds)).ToArray(), grains.Select(s => R(s.Seconds)).ToArray(), ratios.Select(R).ToArray());
    }
}
