using System.CommandLine;
using Seaweed.Kernels;
using Seaweed.Model;
using Seaweed.Parallel;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary>
/// <c>seaweed bench kernels</c>: each fused operator against its composed TorchSharp form at the tiny DiT's sizes,
/// then a tiny-DiT training step and a few Euler sampling steps with dit.kernels = fused and auto against reference.
/// Fused and composed alternate within every repeat, so load drift hits both; medians of wall and process CPU time.
/// </summary>
internal static class BenchKernels
{
    private const double OpGoal = 1.5;
    private const double StepGoal = 1.1;

    public static Command Build()
    {
        var json = SeaweedCommand.JsonOption();
        var batch = new Option<int>("--batch") { Description = "Samples per operator call and per DiT step", DefaultValueFactory = _ => 4 };
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each side (median reported)", DefaultValueFactory = _ => 7 };
        var sampleSteps = new Option<int>("--sample-steps") { Description = "Euler steps of the generation run", DefaultValueFactory = _ => 3 };
        var command = new Command("kernels", "Fused vs composed memory-bound DiT operators (QK-norm + RoPE, modulation, gated residual, SwiGLU), per op and end to end")
        {
            json, batch, repeats, sampleSteps,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal => Run(terminal,
            OptionValue.Positive("--batch", parse.GetValue(batch)), OptionValue.Positive("--repeats", parse.GetValue(repeats)),
            OptionValue.Positive("--sample-steps", parse.GetValue(sampleSteps)), parse.GetValue(json))));
        return command;
    }

    private static int Run(Terminal terminal, int batch, int repeats, int sampleSteps, bool json)
    {
        var config = Presets.Tiny;
        var grid = config.LatentGrid(config.Video);
        var p = config.Dit.Patch;
        long tokens = config.Text.MaxTokens + grid.Frames / p[0] * (grid.Height / p[1]) * (grid.Width / p[2]);
        var report = terminal.WithProgress("bench kernels", 6, progress =>
        {
            var ops = KernelOpBench.All(config.Dit, batch, tokens, repeats, progress);
            var e2e = KernelStepBench.Run(config, batch, repeats, sampleSteps, progress, 4);
            return new KernelBenchReport(
                SimdBackend.Instance.Name, get_num_threads(), Environment.ProcessorCount, batch, tokens, config.Dit.Hidden, config.Dit.Heads, repeats,
                ops, e2e,
                new KernelGoals(OpGoal, ops.All(o => o.Speedup.ForwardBackward >= OpGoal), StepGoal, e2e.TrainStep.AutoSpeedup >= StepGoal),
                "not measured: no GPU in this run; the ILGPU kernels are compiled to PTX and checked on ILGPU's CPU accelerator only");
        });
        if (json) terminal.WriteJson(report);
        else Print(terminal.Console, report);
        return 0;
    }

    private static void Print(IAnsiConsole console, KernelBenchReport r)
    {
        console.MarkupLine($"{r.Backend} backend, {r.Threads} threads; batch {r.Batch} × {r.Tokens} tokens, hidden {r.Hidden}, {r.Heads} heads; median of {r.Repeats}");
        var table = new Table().AddColumns("op", "fwd ×", "fwd+bwd ×", "fwd+bwd × (cpu)", "fused B/elem fwd+bwd", "composed B/elem fwd+bwd", "auto fuses (inference, training)");
        static string Fuses(bool fuses, bool agrees) => (fuses ? "yes" : "no") + (agrees ? "" : " [red](not here)[/]");
        foreach (var o in r.Ops)
            table.AddRow(o.Op, $"{o.Speedup.Forward:F2}", $"{o.Speedup.ForwardBackward:F2}", $"{o.CpuSpeedup.ForwardBackward:F2}",
                $"{o.FusedBytesPerElement.Forward:F0}+{o.FusedBytesPerElement.Backward:F0}", $"{o.ComposedBytesPerElement.Forward:F0}+{o.ComposedBytesPerElement.Backward:F0}",
                $"{Fuses(o.Auto.Inference, o.Auto.InferenceAgrees)}, {Fuses(o.Auto.Training, o.Auto.TrainingAgrees)}");
        console.Write(table);
        var e = r.EndToEnd;
        static string Line(StepResult s) =>
            $"reference {s.ReferenceMs:F1} ms, fused {s.FusedMs:F1} ms ({s.Speedup:F2}×, cpu {s.CpuSpeedup:F2}×), auto {s.AutoMs:F1} ms: [bold]{s.AutoSpeedup:F2}×[/]";
        console.MarkupLine($"tiny DiT training step: {Line(e.TrainStep)}");
        console.MarkupLine($"generation ({e.SampleSteps} Euler steps, guided): {Line(e.Generation)}");
        console.MarkupLine($"goals: each op ≥ {r.Goals.OpSpeedup}× — {(r.Goals.OpsMet ? "met" : "[red]missed[/]")}; step ≥ {r.Goals.StepSpeedup}× — {(r.Goals.StepMet ? "met" : "[red]missed[/]")}");
        console.MarkupLine($"CUDA: {r.Cuda}");
    }
}

/// <summary>Median wall and process-CPU milliseconds per call of runs that alternate between two sides.</summary>
internal static class PairedTimer
{
    public readonly record struct Times(double WallMs, double CpuMs);

    /// <param name="warmups">Untimed calls of each side first, twice over with a pause after each round. Tiered
    /// compilation promotes a method to optimised code after 30 calls, but counts calls only once no method has been
    /// compiled for 100 ms: at the start of a run the first round goes uncounted.</param>
    /// <param name="callsPerSample">Calls timed together as one sample: microsecond calls are timed in a batch.</param>
    public static (Times A, Times B) Measure(Action a, Action b, int repeats, int warmups = 1, int callsPerSample = 1) =>
        Measure([a, b], repeats, warmups, callsPerSample) is [var ta, var tb] ? (ta, tb) : throw new InvalidOperationException();

    /// <summary>Every side in turn within each repeat.</summary>
    public static Times[] Measure(Action[] sides, int repeats, int warmups = 1, int callsPerSample = 1)
    {
        for (int round = 0; round < (warmups > 1 ? 2 : 1); round++)
        {
            for (int i = 0; i < warmups; i++)
                foreach (var side in sides) side();
            if (warmups > 1) Thread.Sleep(TierUpPause);
        }
        var wall = sides.Select(_ => new List<double>()).ToArray();
        var cpu = sides.Select(_ => new List<double>()).ToArray();
        for (int i = 0; i < repeats; i++)
            for (int s = 0; s < sides.Length; s++) Time(sides[s], callsPerSample, wall[s], cpu[s]);
        return sides.Select((_, s) => new Times(Median.Of(wall[s]), Median.Of(cpu[s]))).ToArray();
    }

    /// <summary>Long enough for the background compiler to install the optimised code of the methods called so far.</summary>
    private static readonly TimeSpan TierUpPause = TimeSpan.FromMilliseconds(300);

    private static void Time(Action run, int calls, List<double> wall, List<double> cpu)
    {
        var (w, c) = ProcessClock.Time(() =>
        {
            for (int i = 0; i < calls; i++) run();
        });
        wall.Add(w.TotalMilliseconds / calls);
        cpu.Add(c.TotalMilliseconds / calls);
    }

}

internal sealed record Ratio(double Forward, double ForwardBackward);

internal sealed record Bytes(double Forward, double Backward);

/// <summary>Median wall milliseconds per call, forward only and forward + backward, to 0.1 µs (an op takes microseconds).</summary>
internal sealed record Millis(double Forward, double ForwardBackward)
{
    public static Millis Of(PairedTimer.Times forward, PairedTimer.Times forwardBackward) =>
        new(Math.Round(forward.WallMs, 4), Math.Round(forwardBackward.WallMs, 4));
}

/// <summary>Whether <c>auto</c> fuses the op forward only (inference) and with its backward (training), and whether
/// this run measured the fused form faster where auto fuses it and no faster where it does not.</summary>
internal sealed record AutoChoice(bool Inference, bool Training, bool InferenceAgrees, bool TrainingAgrees);

/// <param name="Speedup">composed time / fused time, wall clock; <paramref name="CpuSpeedup"/> the same in process CPU time.</param>
/// <param name="TrafficRatio">composed bytes / fused bytes per element, forward + backward, by <see cref="TrafficModel"/>.</param>
internal sealed record KernelOpResult(
    string Op, long Elements, Ratio Speedup, Ratio CpuSpeedup, Millis FusedMs, Millis ComposedMs,
    Bytes FusedBytesPerElement, Bytes ComposedBytesPerElement, double TrafficRatio, AutoChoice Auto);

/// <param name="Speedup">reference time / fused time; <paramref name="AutoSpeedup"/> reference time / auto time (the default).</param>
internal sealed record StepResult(double ReferenceMs, double FusedMs, double AutoMs, double Speedup, double AutoSpeedup, double CpuSpeedup);

internal sealed record EndToEnd(StepResult TrainStep, int SampleSteps, StepResult Generation);

/// <param name="StepMet">Whether the default (<c>auto</c>) training step reached <paramref name="StepSpeedup"/>.</param>
internal sealed record KernelGoals(double OpSpeedup, bool OpsMet, double StepSpeedup, bool StepMet);

internal sealed record KernelBenchReport(
    string Backend, int Threads, int Cores, int Batch, long Tokens, int Hidden, int Heads, int Repeats,
    KernelOpResult[] Ops, EndToEnd EndToEnd, KernelGoals Goals, string Cuda);
