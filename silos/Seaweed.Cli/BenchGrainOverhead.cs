using System.CommandLine;
using Seaweed.Data.Store;
using Seaweed.Parallel.Collectives;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench grain-overhead</c>: one training step of the recipe's rank trainers driven through rank grains
/// (a grain call per rank, the step on the rank's device thread, collectives as grain calls) against the same step
/// of the same config in a plain loop (the trainers on a device host's threads over the in-process transport).
/// Both paths make the same trainers (<see cref="ClockedTrainer"/>) from the same config and seed on the same kind
/// of thread, so step k draws the same batch on both: each step's grain time is compared with the plain time of that
/// same step, which cancels the batch-to-batch spread of step times. The two step alternately, in alternating
/// order, so load drift on the machine hits both alike. Equal losses at every step and equal final weights show
/// that both did the same work; the step time splits into compute, transport and dispatch, so the overhead has
/// a place. Everything the run writes lives in a temporary directory, removed afterwards.
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

    internal sealed record Options(int Ranks, int Steps, int Batch, int Resolution)
    {
        /// <summary>The warm-up step and the timed ones.</summary>
        public int TotalSteps => Steps + 1;

        /// <summary>One image stage at one size, so every step costs the same.</summary>
        public string Config => $$"""
            { "model": "tiny", "parallel": { "ranks": {{Ranks}}, "dp": {{Ranks}} }, "steps": {{TotalSteps}}, "globalBatch": {{Batch}}, "seed": 1,
              "curriculum": [ { "name": "bench", "fraction": 1.0, "images": { "resolutions": [{{Resolution}}] } } ],
              "optimizer": { "warmupSteps": 1 }, "checkpoints": { "every": {{TotalSteps}} } }
            """;

        public PathSetup Setup(string directory) =>
            new(Ranks, Config, new CollectiveOptions(), new LocalArtefactStore(Path.Combine(directory, "artefacts")));
    }

    private static async Task<int> RunAsync(Terminal terminal, Options o, bool json)
    {
        var directory = Directory.CreateTempSubdirectory("seaweed-bench-grain-overhead-").FullName;
        try
        {
            var report = await terminal.WithProgressAsync($"bench grain-overhead ({o.Ranks} ranks)", 2 * o.TotalSteps + 3, bar => MeasureAsync(o, directory, bar));
            if (json) terminal.WriteJson(report);
            else Print(terminal.Console, report);
            return 0;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task<GrainOverheadReport> MeasureAsync(Options o, string directory, IProgress<int> bar)
    {
        int done = 0;
        void Tick() => bar.Report(++done);
        var setup = o.Setup(directory);
        await using var plain = await PlainRanks.StartAsync(setup);
        Tick();
        await using var grains = await GrainRanks.StartAsync(setup, Path.Combine(directory, "grains"));
        Tick();
        var (plainSteps, grainSteps) = (new List<PathStep>(), new List<PathStep>());
        for (long step = 0; step < o.TotalSteps; step++)
        {
            IStepPath[] order = step % 2 == 0 ? [plain, grains] : [grains, plain];
            var first = await order[0].Step(step);
            Tick();
            var second = await order[1].Step(step);
            Tick();
            if (step == 0) continue; // warm-up: first-touch allocations, JIT
            plainSteps.Add(step % 2 == 0 ? first : second);
            grainSteps.Add(step % 2 == 0 ? second : first);
        }
        var plainState = await plain.Snapshot(o.TotalSteps);
        var grainState = await grains.Snapshot(o.TotalSteps);
        Tick();
        try
        {
            return GrainOverheadReport.Of(o, new PathThreads(plain.Threads.ToArray(), grains.Threads.ToArray()), plainSteps, grainSteps,
                GrainOverheadReport.WeightDifferenceOf(plainState, grainState));
        }
        finally
        {
            foreach (var s in plainState.Concat(grainState)) s.Dispose();
        }
    }

    private static void Print(IAnsiConsole console, GrainOverheadReport r)
    {
        var table = new Table().AddColumns("path", "s / step (median)", "compute", "transport", "dispatch", "steps");
        table.AddRow("plain loop", $"{r.PlainSeconds:F4}", $"{r.Plain.Compute:F4}", $"{r.Plain.Transport:F4}", $"{r.Plain.Dispatch:F4}",
            string.Join(" ", r.PlainSteps.Select(s => $"{s:F3}")));
        table.AddRow("rank grains", $"{r.GrainSeconds:F4}", $"{r.Grains.Compute:F4}", $"{r.Grains.Transport:F4}", $"{r.Grains.Dispatch:F4}",
            string.Join(" ", r.GrainSteps.Select(s => $"{s:F3}")));
        table.AddRow("grains / plain", $"{r.Ratio:F3}", $"{r.OverheadBy.Compute:+0.0%;-0.0%}", $"{r.OverheadBy.Transport:+0.0%;-0.0%}",
            $"{r.OverheadBy.Dispatch:+0.0%;-0.0%}", string.Join(" ", r.Ratios.Select(s => $"{s:F3}")));
        console.Write(table);
        console.MarkupLine($"grain overhead [bold]{r.Overhead:P1}[/] (same-step ratios {r.RatioMin:F3}–{r.RatioMax:F3}; goal ≤ {r.Goal:P0}: {(r.GoalMet ? "[green]met[/]" : "[red]missed[/]")})");
        console.MarkupLine($"same work: batches {Yes(r.SameBatches)}, final weights {Yes(r.SameWeights)} (max relative difference {r.WeightDifference:G3}), "
            + $"intra-op threads {Yes(r.Threads.Same)} ({string.Join(",", r.Threads.Plain)} / {string.Join(",", r.Threads.Grains)})");
    }

    private static string Yes(bool same) => same ? "yes" : "[red]no[/]";
}
