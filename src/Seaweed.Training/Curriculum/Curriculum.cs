using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>A stage placed on the run's steps: it covers steps [<see cref="Start"/>, <see cref="End"/>).</summary>
public sealed record CurriculumStage(int Index, StageConfig Config, long Start, long End)
{
    public string Name => Config.Name;
    public long Steps => End - Start;
}

/// <summary>
/// The run's stages, low resolution to high (Seaweed §3.3.1, Table 2): images only first, then images and video,
/// then larger sizes. Boundaries are exact step counts: stage k starts at round(steps · Σ_{j&lt;k} fraction_j), so
/// rounding never accumulates, and the last stage ends at the last step.
/// </summary>
public sealed class Curriculum
{
    public Curriculum(TrainingConfig config) : this(config.Curriculum ?? throw new ArgumentException("the config is not validated", nameof(config)), config.Steps) { }

    public Curriculum(IReadOnlyList<StageConfig> stages, long steps)
    {
        var bounds = Boundaries(stages, steps);
        Stages = stages.Select((s, i) => new CurriculumStage(i, s, bounds[i], bounds[i + 1])).ToArray();
        TotalSteps = steps;
    }

    public IReadOnlyList<CurriculumStage> Stages { get; }
    public long TotalSteps { get; }

    /// <summary>The stage that step <paramref name="step"/> (0-based) belongs to.</summary>
    public CurriculumStage At(long step)
    {
        if (step < 0 || step >= TotalSteps) throw new ArgumentOutOfRangeException(nameof(step), step, $"the run has steps 0..{TotalSteps - 1}");
        int lo = 0, hi = Stages.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (Stages[mid].Start <= step) lo = mid;
            else hi = mid - 1;
        }
        return Stages[lo];
    }

    /// <summary>stages.Count + 1 step boundaries; a stage whose share rounds to no step is a <see cref="ConfigException"/>.</summary>
    public static long[] Boundaries(IReadOnlyList<StageConfig> stages, long steps)
    {
        var bounds = new long[stages.Count + 1];
        double cumulative = 0;
        for (int i = 1; i < stages.Count; i++)
        {
            cumulative += stages[i - 1].Fraction;
            bounds[i] = (long)Math.Round(steps * cumulative, MidpointRounding.AwayFromZero);
        }
        bounds[^1] = steps;
        for (int i = 0; i < stages.Count; i++)
            if (bounds[i + 1] <= bounds[i])
                throw new ConfigException($"curriculum[{i}].fraction", $"{stages[i].Fraction} of {steps} steps gives the stage '{stages[i].Name}' no step");
        return bounds;
    }

    /// <summary>
    /// Table 2 scaled to <paramref name="model"/>'s native video (area R², F frames): images at [R/2, R] only
    /// (37.5%); + video at R/2 with about half the frames (25%); images [3R/4, R] + video at 3R/4 (25%); images and
    /// video at R (12.5%). The paper gives no image:video ratio; mixed stages use half of each.
    /// </summary>
    public static IReadOnlyList<StageConfig> Default(SeaweedConfig model)
    {
        var unit = StageSizes.GridUnit(model);
        int step = Math.Max(unit.Height, unit.Width);
        int full = Snap(Math.Sqrt((double)model.Video.Height * model.Video.Width), step);
        int low = Snap(full / 2.0, step), mid = Snap(full * 0.75, step);
        int frames = model.Video.Frames, shortFrames = StageSizes.UsableFrames(model, (frames + 1) / 2, frames);
        return
        [
            new StageConfig { Name = "low-image", Fraction = 0.375, Images = new() { Resolutions = [low, full] } },
            new StageConfig
            {
                Name = "low-video", Fraction = 0.25, Images = new() { Resolutions = [low, full] },
                Videos = new() { Resolution = low, Frames = [shortFrames] }, ImageShare = 0.5,
            },
            new StageConfig
            {
                Name = "mid", Fraction = 0.25, Images = new() { Resolutions = [mid, full] },
                Videos = new() { Resolution = mid, Frames = [frames] }, ImageShare = 0.5,
            },
            new StageConfig
            {
                Name = "full", Fraction = 0.125, Images = new() { Resolutions = [full] },
                Videos = new() { Resolution = full, Frames = [frames] }, ImageShare = 0.5,
            },
        ];
    }

    private static int Snap(double pixels, int unit) => Math.Max(1, (int)Math.Round(pixels / unit)) * unit;
}
