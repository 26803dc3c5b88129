using Seaweed.Parallel;

namespace Seaweed.Training.Ranks;

/// <summary>What one optimizer step did, as seen by one rank.</summary>
/// <param name="Step">Steps taken after this one (1 for the first).</param>
/// <param name="Loss">The global batch's mean flow-matching loss (identical on every rank).</param>
/// <param name="GradNorm">The global gradient L2 norm before clipping.</param>
/// <param name="Tokens">Joint text + video tokens of the whole global batch.</param>
/// <param name="RankTokens">Tokens of this rank's share of the batch.</param>
/// <param name="Seconds">Wall time of the step on this rank.</param>
/// <param name="PlanWaitSeconds">Time the step waited for its plan and data: zero when the look-ahead kept up.</param>
public sealed record StepMetrics(
    long Step,
    int Stage,
    string StageName,
    double Loss,
    double GradNorm,
    double LearningRate,
    long Tokens,
    long RankTokens,
    int RankSamples,
    double Seconds,
    double PlanWaitSeconds,
    StepTraffic Traffic);
