using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Checkpointing;

/// <summary>One policy's figures: medians of time over the timed steps, maxima of memory over the sized ones.</summary>
/// <param name="CpuSecondsPerStep">Process CPU time (all threads): less sensitive than wall time to other load on the machine.</param>
/// <param name="StepResidentBytes">Peak resident memory during a step minus the resident memory before it.</param>
/// <param name="Accounted">MLAC's accounting at its peak within a step.</param>
public sealed record MlacMeasurement(
    string Variant, CheckpointPolicy Policy, double SecondsPerStep, double CpuSecondsPerStep, long StepResidentBytes, long PeakResidentBytes,
    ActivationBytes Accounted, int RecomputesPerStep);

/// <param name="AttentionFlops">Attention's share of <paramref name="ForwardFlops"/>: the part a recompute cannot skip.</param>
/// <param name="LoadAverage">The machine's 1-minute load average (the higher of start and end): how noisy the times are.</param>
public sealed record MlacBenchResult(
    string Input, long Tokens, int Layers, int Hidden, int Threads, double LoadAverage, long ForwardFlops, long AttentionFlops,
    IReadOnlyList<MlacMeasurement> Variants);

/// <summary>Measurements behind <c>seaweed bench mlac</c>: DiT training steps at each level, interleaved in one run.</summary>
public static class MlacBenchmark
{
    public static readonly IReadOnlyList<(string Name, CheckpointPolicy Policy)> Variants =
    [
        ("none", CheckpointPolicy.All(ActivationLevel.Keep)),
        ("recompute", CheckpointPolicy.All(ActivationLevel.Recompute)),
        ("host", CheckpointPolicy.All(ActivationLevel.Host)),
        ("disk", CheckpointPolicy.All(ActivationLevel.Disk)),
    ];

    /// <summary>A long-sequence DiT: <paramref name="latentFrames"/> × <paramref name="side"/>² video tokens, small hidden.</summary>
    public static SeaweedConfig LongSequence(int latentFrames, int side, int hidden, int layers)
    {
        var probe = new SeaweedConfig();
        int pixelsPerToken = probe.Vae.SpatialDownsample * probe.Dit.Patch[1];
        return new SeaweedConfig
        {
            Name = "mlac-long-sequence",
            Video = new VideoSize(1 + probe.Vae.TemporalDownsample * (latentFrames - 1), side * pixelsPerToken, side * pixelsPerToken),
            Dit = new DitConfig { Hidden = hidden, Layers = layers, DualStreamLayers = Math.Max(1, layers / 4), Heads = Math.Max(1, hidden / 16), MlpMultiple = 32 },
        }.Validate();
    }

    public static MlacBenchResult Run(SeaweedConfig config, int steps, string? spillRoot = null, IProgress<int>? progress = null)
    {
        if (steps <= 0) throw new ConfigException("steps", $"{steps} must be positive");
        if (!ProcessMemory.Available) throw new PlatformNotSupportedException("bench mlac reads resident memory from Linux /proc");
        ProcessMemory.MapLargeAllocations(); // before the step's tensors exist: see Round below
        double loadBefore = ProcessMemory.LoadAverage;
        manual_seed(1);
        using var dit = new HybridStreamDiT(config);
        var grid = config.LatentGrid(config.Video);
        long[] latent = [1, config.Vae.LatentChannels, grid.Frames, grid.Height, grid.Width];
        using var scope = NewDisposeScope();
        var x0 = randn(latent);
        var noise = randn(latent);
        var input = new DitInput(x0, zeros(latent),
            zeros([1, 1, grid.Frames, grid.Height, grid.Width]), tensor(new[] { 0.5f }),
            randn(1, config.Text.MaxTokens, config.Text.Hidden), ones(1, config.Text.MaxTokens, dtype: @bool));
        var (forward, attention) = CountFlops(dit, input);

        var runners = Variants.Select(v => new ActivationCheckpointing(v.Policy, spillRoot)).ToArray();
        try
        {
            var timing = runners.Select(_ => new List<Sample>()).ToArray();
            var sizing = runners.Select(_ => new List<Sample>()).ToArray();
            int tick = 0;
            void Round(List<Sample>[]? into, bool sized = false)
            {
                // Interleaved, so drift in the machine's load hits every variant alike.
                for (int v = 0; v < runners.Length; v++)
                {
                    var sample = Step(dit, input, x0, noise, runners[v], sized);
                    into?[v].Add(sample);
                    progress?.Report(++tick);
                }
            }
            // Sized with every large block mapped on its own, so a freed one leaves the resident set at once (a
            // heap would keep it and reuse it, showing fragmentation instead); timed on a pooling heap, as glibc
            // runs by default, since the page faults of fresh mappings would slow every step.
            Round(null); // warm-up
            for (int i = 0; i < SizedRounds; i++) Round(sizing, sized: true);
            ProcessMemory.PoolLargeAllocations();
            Round(null);
            for (int i = 0; i < steps; i++) Round(timing);
            var measured = Variants.Select((v, i) => new MlacMeasurement(
                v.Name, v.Policy,
                Median.Of(timing[i].Select(s => s.Seconds)), Median.Of(timing[i].Select(s => s.CpuSeconds)),
                sizing[i].Max(s => s.Step), sizing[i].Max(s => s.Peak),
                new ActivationBytes(sizing[i].Max(s => s.Accounted.Device), sizing[i].Max(s => s.Accounted.Host), sizing[i].Max(s => s.Accounted.Disk)),
                timing[i][0].Recomputes)).ToArray();
            var (text, video) = input.Tokens(config.Dit.Patch);
            return new MlacBenchResult($"{config.Video} → {grid.Frames}×{grid.Height}×{grid.Width} latent", text + video,
                config.Dit.Layers, config.Dit.Hidden, get_num_threads(), Math.Max(loadBefore, ProcessMemory.LoadAverage), forward, attention, measured);
        }
        finally
        {
            foreach (var r in runners) r.Dispose();
        }
    }

    /// <summary>Steps per variant for the memory figures, before the timed ones.</summary>
    public const int SizedRounds = 2;

    private readonly record struct Sample(double Seconds, double CpuSeconds, long Step, long Peak, ActivationBytes Accounted, int Recomputes);

    private static Sample Step(
        HybridStreamDiT dit, DitInput input, Tensor x0, Tensor noise, ActivationCheckpointing mlac, bool sized)
    {
        dit.zero_grad();
        if (sized) ProcessMemory.ResetPeak();
        long before = ProcessMemory.Resident;
        mlac.Memory.ResetPeak();
        int recomputes = mlac.Recomputes;
        var (wall, cpu) = ProcessClock.Time(() =>
        {
            using var scope = NewDisposeScope();
            var loss = Objectives.Dit(dit, x0, noise, input.Time, input, mlac.Execution());
            mlac.Backward(loss);
        });
        long peak = ProcessMemory.PeakResident;
        return new(wall.TotalSeconds, cpu.TotalSeconds, peak - before, peak, mlac.Memory.Peak, mlac.Recomputes - recomputes);
    }

    /// <summary>Forward FLOPs of the whole DiT and of its attention alone (attention counts itself; Linear layers only when hooked).</summary>
    private static (long Forward, long Attention) CountFlops(HybridStreamDiT dit, DitInput input)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        long attention;
        using (var counter = FlopCounter.Start())
        {
            dit.Forward(input);
            attention = counter.Flops;
        }
        var hooks = FlopCounter.Instrument(dit);
        try
        {
            using var counter = FlopCounter.Start();
            dit.Forward(input);
            return (counter.Flops, attention);
        }
        finally
        {
            foreach (var h in hooks) h.Dispose();
        }
    }
}
