namespace Seaweed.Training;

/// <summary>
/// Learning rate per step: linear warm-up lr·(s+1)/W over the first W steps, then constant, or a cosine from lr
/// down to minLr reached at the last step.
/// </summary>
public sealed class LearningRateSchedule(OptimizerConfig optimizer, long totalSteps)
{
    public double At(long step)
    {
        if (step < 0 || step >= totalSteps) throw new ArgumentOutOfRangeException(nameof(step), step, $"the run has steps 0..{totalSteps - 1}");
        long warmup = optimizer.WarmupSteps;
        if (step < warmup) return optimizer.Lr * (step + 1) / warmup;
        if (optimizer.Schedule == OptimizerConfig.Constant) return optimizer.Lr;
        long decaySteps = totalSteps - warmup;
        double progress = decaySteps <= 1 ? 1 : (double)(step - warmup) / (decaySteps - 1);
        return optimizer.MinLr + (optimizer.Lr - optimizer.MinLr) * 0.5 * (1 + Math.Cos(Math.PI * progress));
    }
}
