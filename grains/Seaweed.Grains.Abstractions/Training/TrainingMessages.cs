namespace Seaweed.Grains.Training;

/// <summary>
/// A training run: its configuration (the training config JSON; relative model paths resolve against
/// <see cref="BaseDirectory"/>), which trainer its ranks run, and how failures are met: a step silent for
/// <see cref="StepTimeout"/>, or a collective waiting <see cref="CollectiveTimeout"/> for a peer, fails the epoch, and
/// the rank group restarts from the last committed checkpoint at most <see cref="MaxRestarts"/> times.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.request")]
public sealed record TrainingRunRequest(
    string Config,
    string? BaseDirectory = null,
    string Trainer = TrainingRunRequest.RecipeTrainer,
    TimeSpan? StepTimeout = null,
    TimeSpan? CollectiveTimeout = null,
    int MaxRestarts = 3)
{
    /// <summary>The trainer of the training recipe (the DiT on the configured data).</summary>
    public const string RecipeTrainer = "recipe";
}

[GenerateSerializer, Alias("seaweed.training.phase")]
public enum TrainingPhase { NotStarted, Assembling, Running, Completed, Failed }

/// <summary>One step taken: steps taken after it, its stage, the loss (mean over ranks), tokens trained on and the
/// step's wall time at the run.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.step")]
public sealed record StepRecord(long Step, string Stage, double Loss, long Tokens, double Seconds)
{
    public double TokensPerSecond => Seconds > 0 ? Tokens / Seconds : 0;
}

[GenerateSerializer, Immutable, Alias("seaweed.training.rank-placement")]
public sealed record RankPlacement(int Rank, string Silo, int Device);

/// <summary>
/// One assembly of the rank group: its epoch, why (null for the first), the checkpoint it resumed from (steps
/// taken; null = from scratch), and the newer checkpoints passed over as unusable, each with the reason.
/// </summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.resume")]
public sealed record ResumeRecord(int Epoch, string? Cause, long? FromStep, IReadOnlyList<string> Skipped);

[GenerateSerializer, Immutable, Alias("seaweed.training.progress")]
public sealed record TrainingProgress(
    string RunId,
    TrainingPhase Phase,
    string? Stage,
    long Step,
    long Steps,
    double? Loss,
    double TokensPerSecond,
    long? CheckpointStep,
    int Epoch,
    int Restarts,
    string? RunSilo,
    IReadOnlyList<RankPlacement> Ranks,
    IReadOnlyList<ResumeRecord> Resumes,
    string? Error)
{
    public bool IsFinished => Phase is TrainingPhase.Completed or TrainingPhase.Failed;
}
