using System.CommandLine;
using Seaweed.Model;
using Seaweed.Parallel.Checkpointing;
using Spectre.Console;

namespace Seaweed.Cli;

/// <summary><c>seaweed bench mlac</c>: peak memory and step time per activation level against no checkpointing, same run.</summary>
internal static class BenchMlac
{
    /// <summary>Issue 4's target for MLAC.</summary>
    private const double MemoryGoal = 0.25, TimeGoal = 1.20;
    private const string GoalText = "peak activation memory ≤ 1/4 of no checkpointing at ≤ 20% more step time";

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var frames = new Option<int>("--frames") { Description = "Latent frames", DefaultValueFactory = _ => 4 };
        var side = new Option<int>("--side") { Description = "Video tokens per side of a latent frame", DefaultValueFactory = _ => 32 };
        var hidden = new Option<int>("--hidden") { Description = "DiT hidden size (heads of 16)", DefaultValueFactory = _ => 64 };
        var layers = new Option<int>("--layers") { Description = "DiT layers (a quarter dual-stream)", DefaultValueFactory = _ => 8 };
        var steps = new Option<int>("--steps") { Description = "Timed training steps per level (median reported); memory is measured in two more", DefaultValueFactory = _ => 3 };
        var spill = new Option<string?>("--spill-dir") { Description = "Where disk-level activations go (default: the temporary directory)" };
        var command = new Command("mlac", "Multi-level activation checkpointing: peak memory and step time of recompute / host / disk offload against none")
        {
            json, frames, side, hidden, layers, steps, spill,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal =>
        {
            var config = MlacBenchmark.LongSequence(
                OptionValue.Positive("--frames", parse.GetValue(frames)), OptionValue.Positive("--side", parse.GetValue(side)),
                OptionValue.Positive("--hidden", parse.GetValue(hidden)), OptionValue.Positive("--layers", parse.GetValue(layers)));
            int n = OptionValue.Positive("--steps", parse.GetValue(steps));
            var result = terminal.WithProgress("bench mlac", (n + 2 + MlacBenchmark.SizedRounds) * MlacBenchmark.Variants.Count,
                progress => MlacBenchmark.Run(config, n, parse.GetValue(spill), progress));
            var report = MlacReport.From(result);
            if (parse.GetValue(json)) terminal.WriteJson(report);
            else Print(terminal.Console, report);
            return 0;
        }));
        return command;
    }

    private static void Print(IAnsiConsole console, MlacReport r)
    {
        console.MarkupLine(Markup.Escape($"{r.Input}: {r.Tokens} tokens, {r.Layers} layers, hidden {r.Hidden}; attention is {r.AttentionShare:P0} of forward FLOPs; {r.Threads} threads, load average {r.LoadAverage:F1}"));
        var table = new Table().AddColumns("level", "s/step", "time ×", "cpu ×", "step RSS MiB", "RSS ×", "device MiB", "device ×", "host MiB", "disk MiB", "goal");
        foreach (var v in r.Variants)
            table.AddRow(v.Variant, $"{v.SecondsPerStep:F3}", $"{v.TimeRatio:F2}", $"{v.CpuTimeRatio:F2}", $"{Mib(v.StepResidentBytes)}", $"{v.MemoryRatio:F2}",
                $"{Mib(v.Accounted.Device)}", $"{v.AccountedDeviceRatio:F2}", $"{Mib(v.Accounted.Host)}", $"{Mib(v.Accounted.Disk)}", v.MeetsGoal ? "yes" : "no");
        console.Write(table);
        console.MarkupLine(Markup.Escape($"goal: {r.Goal}; measured by {r.GoalMeasure}"));
    }

    private static string Mib(long bytes) => $"{bytes / (1024.0 * 1024):F1}";

    /// <param name="MemoryRatio">Step resident memory over no checkpointing's: the goal's measure.</param>
    /// <param name="AccountedDeviceRatio">MLAC's accounted device bytes over no checkpointing's (what a GPU would hold
    /// for saved activations; excludes the one block being recomputed).</param>
    internal sealed record LevelFigures(
        string Variant, CheckpointPolicy Policy, double SecondsPerStep, double TimeRatio, double CpuSecondsPerStep, double CpuTimeRatio, long StepResidentBytes, double MemoryRatio,
        long PeakResidentBytes, ActivationBytes Accounted, double AccountedDeviceRatio, int RecomputesPerStep, bool MeetsGoal);

    internal sealed record MlacReport(
        string Input, long Tokens, int Layers, int Hidden, int Threads, double LoadAverage, double AttentionShare, IReadOnlyList<LevelFigures> Variants,
        string Goal, string GoalMeasure, bool GoalMet)
    {
        public static MlacReport From(MlacBenchResult r)
        {
            var none = r.Variants[0];
            var variants = r.Variants.Select(v =>
            {
                double time = v.SecondsPerStep / none.SecondsPerStep;
                double cpu = v.CpuSecondsPerStep / none.CpuSecondsPerStep;
                double memory = (double)v.StepResidentBytes / none.StepResidentBytes;
                bool checkpointed = !ReferenceEquals(v, none);
                return new LevelFigures(v.Variant, v.Policy, Math.Round(v.SecondsPerStep, 4), Math.Round(time, 3),
                    Math.Round(v.CpuSecondsPerStep, 4), Math.Round(cpu, 3),
                    v.StepResidentBytes, Math.Round(memory, 3), v.PeakResidentBytes, v.Accounted,
                    Math.Round((double)v.Accounted.Device / none.Accounted.Device, 3), v.RecomputesPerStep,
                    checkpointed && memory <= MemoryGoal && Math.Max(time, cpu) <= TimeGoal);
            }).ToArray();
            return new MlacReport(r.Input, r.Tokens, r.Layers, r.Hidden, r.Threads, r.LoadAverage, Math.Round((double)r.AttentionFlops / r.ForwardFlops, 3), variants,
                GoalText,
                "memory: resident memory added during a step (VmHWM after − VmRSS before); on a CPU device, device and host are the same RAM, so host offload cannot lower it and disk offload can; time: both wall and process CPU time, so other load on the machine cannot pass a level",
                variants.Any(v => v.MeetsGoal));
        }
    }
}
