using Seaweed.Model;

namespace Seaweed.Training.Vae;

/// <summary>Mean losses of one stage over the steps this invocation ran of it.</summary>
public sealed record VaeStageSummary(string Name, long Steps, VaeLosses Mean);

/// <summary>What a VAE run did: where it ended, its losses and speed, its checkpoint and the exported model.</summary>
/// <param name="ResumedFrom">The step the run continued from, or null for a fresh start.</param>
/// <param name="Final">Mean losses over the last <see cref="VaeRun.FinalWindow"/> steps run.</param>
/// <param name="SecondsPerStep">Mean wall time of the steps this invocation ran.</param>
public sealed record VaeRunSummary(
    string Output,
    string Model,
    string Checkpoint,
    long Step,
    long Steps,
    long? ResumedFrom,
    IReadOnlyList<SkippedCheckpoint> Skipped,
    IReadOnlyList<VaeStageSummary> Stages,
    VaeLosses? Final,
    double SecondsPerStep,
    double LatentScale);

/// <summary>
/// A VAE run: a fresh start (refused when the output already holds a run) or the continuation of the newest usable
/// checkpoint; steps to the end, or to a stop step, with a checkpoint every <c>checkpoints.every</c> steps and after
/// the last one taken; then the model export. A run stopped early continues from there when resumed.
/// </summary>
public static class VaeRun
{
    public const int FinalWindow = 50;

    /// <param name="stopAfter">Stop once this many steps are done (the run's steps when null), e.g. to time-box a run.</param>
    /// <param name="onStep">Called after every step.</param>
    /// <param name="onCheckpoint">Called with the step and path of every checkpoint written.</param>
    public static VaeRunSummary Run(VaeTrainingConfig config, bool resume, long? stopAfter = null, Action<VaeStepMetrics>? onStep = null,
        Action<long, string>? onCheckpoint = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        long stop = stopAfter ?? config.Steps;
        if (stop <= 0 || stop > config.Steps) throw new ConfigException("stopAfter", $"{stop} must be from 1 to the run's {config.Steps} steps");
        string output = config.OutputDirectory;
        var existing = VaeCheckpoint.Steps(output);
        if (!resume && (existing.Count > 0 || Directory.Exists(VaeExport.ModelDirectory(output))))
            throw new ConfigException("output", $"{output} already holds a run{(existing.Count > 0 ? $" (checkpoints up to step {existing[^1]})" : "")}; resume it, or choose another output");
        using var trainer = new VaeTrainer(config);
        var skipped = new List<SkippedCheckpoint>();
        long? resumedFrom = null;
        if (resume)
        {
            if (!trainer.RestoreLatest(skipped))
                throw new ConfigException("resume", $"no usable checkpoint under {Path.Combine(output, VaeCheckpoint.Folder)}{(skipped.Count > 0 ? $" ({skipped.Count} skipped: {skipped[0].Reason})" : "")}");
            resumedFrom = trainer.CompletedSteps;
        }
        var history = new List<VaeStepMetrics>();
        string? checkpoint = resumedFrom is { } from ? VaeCheckpoint.PathOf(output, from) : null;
        while (trainer.CompletedSteps < stop)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var metrics = trainer.Step();
            history.Add(metrics);
            onStep?.Invoke(metrics);
            if (metrics.Step % config.Checkpoints.Every == 0 || metrics.Step == stop)
            {
                checkpoint = trainer.SaveCheckpoint();
                onCheckpoint?.Invoke(metrics.Step, checkpoint);
            }
        }
        // A run resumed at (or past) its stop has nothing left to step, but its checkpoint exists.
        checkpoint ??= trainer.SaveCheckpoint();
        var (model, scale) = trainer.ExportModel();
        var stages = history.GroupBy(m => m.Shape.StageName)
            .Select(g => new VaeStageSummary(g.Key, g.Count(), Mean(g.TakeLast(FinalWindow).ToList())))
            .ToArray();
        return new VaeRunSummary(output, model, checkpoint, trainer.CompletedSteps, config.Steps, resumedFrom, skipped, stages,
            history.Count > 0 ? Mean(history.TakeLast(FinalWindow).ToList()) : null,
            history.Count > 0 ? history.Average(m => m.Seconds) : 0, scale);
    }

    private static VaeLosses Mean(IReadOnlyList<VaeStepMetrics> steps)
    {
        double Avg(Func<VaeLosses, double> term) => steps.Average(m => term(m.Losses));
        return new VaeLosses(Avg(l => l.Total), Avg(l => l.L1), Avg(l => l.Ssim), Avg(l => l.Kl), Avg(l => l.Generator), Avg(l => l.Discriminator));
    }
}
