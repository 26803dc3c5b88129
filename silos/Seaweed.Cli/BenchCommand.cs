using System.CommandLine;
using Seaweed.Model;
using Spectre.Console;
using static TorchSharp.torch;

namespace Seaweed.Cli;

/// <summary><c>seaweed bench model</c>: achieved GFLOP/s of the DiT and the VAE against the same run's matmul peak.</summary>
internal static class BenchCommand
{
    public static Command Build() => new("bench", "Measure this machine: results with the baseline measured in the same run")
    {
        ModelCommand(),
        BenchBalance.Build(),
        BenchMlac.Build(),
        BenchCollectives.Build(),
        BenchGrainOverhead.Build(),
        BenchKernels.Build(),
        BenchVaeTiles.Build(),
        BenchServe.Build(),
        BenchGenerate.Build(),
    };

    private static Command ModelCommand()
    {
        var json = SeaweedCommand.JsonOption();
        var preset = new Option<string>("--preset") { Description = $"Model to measure: {string.Join(", ", Presets.All.Keys)}", DefaultValueFactory = _ => Presets.Tiny.Name };
        var steps = new Option<int>("--steps") { Description = "Timed forward+backward steps per network (median reported)", DefaultValueFactory = _ => 5 };
        var ditBatch = new Option<int>("--dit-batch") { Description = "Samples per DiT step", DefaultValueFactory = _ => 4 };
        var vaeBatch = new Option<int>("--vae-batch") { Description = "Videos per VAE step", DefaultValueFactory = _ => 1 };
        var command = new Command("model", "Forward+backward GFLOP/s of the DiT and VAE, next to the fp32 matmul peak (ratio = MFU)")
        {
            json, preset, steps, ditBatch, vaeBatch,
        };
        command.SetAction(parse => SeaweedCommand.Run(parse, terminal => Run(terminal,
            Presets.Get(parse.GetValue(preset)!),
            OptionValue.Positive("--steps", parse.GetValue(steps)),
            OptionValue.Positive("--dit-batch", parse.GetValue(ditBatch)),
            OptionValue.Positive("--vae-batch", parse.GetValue(vaeBatch)),
            parse.GetValue(json))));
        return command;
    }

    /// <summary>Largest preset measured here: its fp32 weights, gradients and activations must fit this machine.</summary>
    private const long MaxMeasuredParameters = 200_000_000;

    private static int Run(Terminal terminal, SeaweedConfig config, int steps, int ditBatch, int vaeBatch, bool json)
    {
        var sizes = Presets.All.ToDictionary(p => p.Key, p => ModelSize.Count(p.Value));
        var size = ModelSize.Count(config);
        if (size.Total > MaxMeasuredParameters)
            throw new ConfigException("--preset", $"'{config.Name}' has {size.Total:N0} parameters, too many to measure on this machine (limit {MaxMeasuredParameters:N0}); its count is in the output of any preset's run");

        int ticks = 2 + 2 * steps;
        var result = terminal.WithProgress($"bench model ({config.Name})", ticks, progress =>
        {
            double peakBefore = ModelBenchmark.MatmulPeakGflops();
            progress.Report(1);
            var dit = ModelBenchmark.Dit(config, ditBatch, steps, new Offset(progress, 1));
            var vae = ModelBenchmark.Vae(config, vaeBatch, steps, new Offset(progress, 1 + steps));
            double peak = Math.Max(peakBefore, ModelBenchmark.MatmulPeakGflops());
            progress.Report(ticks);
            return new ModelBenchReport(
                config.Name, get_num_threads(), new MatmulPeak(2048, "float32", Math.Round(peak, 1)),
                Networks.From(dit, peak), Networks.From(vae, peak), sizes);
        });

        if (json) terminal.WriteJson(result);
        else Print(terminal.Console, result);
        return 0;
    }

    private static void Print(IAnsiConsole console, ModelBenchReport r)
    {
        var table = new Table().AddColumns("network", "input", "batch", "GFLOP/step", "s/step", "GFLOP/s", "MFU");
        foreach (var (name, n) in new[] { ("DiT", r.Dit), ("VAE", r.Vae) })
            table.AddRow(name, n.Input, $"{n.Batch}", $"{n.FlopsPerStep / 1e9:F1}", $"{n.SecondsPerStep:F3}", $"{n.Gflops:F1}", $"{n.Mfu:P1}");
        console.Write(table);
        console.MarkupLine($"fp32 matmul peak ({r.MatmulPeak.Size}²): [bold]{r.MatmulPeak.Gflops:F1}[/] GFLOP/s on {r.Threads} threads");
        foreach (var (name, p) in r.Parameters)
            console.MarkupLine($"{name}: DiT {p.Dit:N0}, VAE {p.Vae:N0}, text encoder {p.Text:N0} parameters");
    }

    private sealed class Offset(IProgress<int> inner, int offset) : IProgress<int>
    {
        public void Report(int value) => inner.Report(offset + value);
    }
}

internal sealed record MatmulPeak(int Size, string Dtype, double Gflops);

/// <param name="Mfu">Achieved GFLOP/s over the matmul peak of the same run.</param>
internal sealed record Networks(string Input, int Batch, long FlopsPerStep, double SecondsPerStep, double Gflops, double Mfu)
{
    public static Networks From(StepThroughput t, double peak) =>
        new(t.Input, t.Batch, t.FlopsPerStep, Math.Round(t.SecondsPerStep, 4), Math.Round(t.Gflops, 1), Math.Round(t.Gflops / peak, 3));
}

internal sealed record ModelBenchReport(
    string Preset, int Threads, MatmulPeak MatmulPeak, Networks Dit, Networks Vae,
    IReadOnlyDictionary<string, ParameterCounts> Parameters);
