using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>AdamW with decoupled weight decay, a learning-rate schedule and global gradient-norm clipping.</summary>
public sealed record OptimizerConfig
{
    public const string Constant = "constant";
    public const string Cosine = "cosine";

    public double Lr { get; init; } = 1e-4;
    public double[] Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Linear warm-up from lr/warmupSteps to lr over the first steps.</summary>
    public long WarmupSteps { get; init; } = 100;
    /// <summary>After warm-up: <c>constant</c>, or <c>cosine</c> decay to <see cref="MinLr"/> at the last step.</summary>
    public string Schedule { get; init; } = Constant;
    public double MinLr { get; init; }
    /// <summary>Largest global gradient L2 norm; 0 turns clipping off.</summary>
    public double GradClip { get; init; } = 1.0;

    internal void Validate(string path, long steps)
    {
        Require.PositiveFinite($"{path}.lr", Lr);
        if (Betas is null || Betas.Length != 2) throw new ConfigException($"{path}.betas", "must have two entries (β1, β2)");
        for (int i = 0; i < 2; i++) Require.InRange($"{path}.betas[{i}]", Betas[i], 0, 1, hiExclusive: true);
        Require.PositiveFinite($"{path}.eps", Eps);
        Require.InRange($"{path}.weightDecay", WeightDecay, 0, 1);
        Require.NotNegative($"{path}.warmupSteps", WarmupSteps);
        if (WarmupSteps > steps) throw new ConfigException($"{path}.warmupSteps", $"{WarmupSteps} exceeds the run's {steps} steps");
        if (Schedule is not (Constant or Cosine))
            throw new ConfigException($"{path}.schedule", $"'{Schedule}' is not one of: {Constant}, {Cosine}");
        Require.InRange($"{path}.minLr", MinLr, 0, Lr);
        Require.InRange($"{path}.gradClip", GradClip, 0, double.MaxValue);
    }
}
