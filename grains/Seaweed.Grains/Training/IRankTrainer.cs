using Seaweed.Data.Store;
using Seaweed.Parallel.Collectives;
using static TorchSharp.torch;

namespace Seaweed.Grains.Training;

/// <summary>
/// Makes the trainers of one kind of run (registered keyed by its name, see
/// <see cref="TrainingSiloExtensions.AddRankTrainer"/>). <see cref="Plan"/> runs on a grain thread and must be
/// cheap; <see cref="Create"/> runs on the rank's device thread.
/// </summary>
public interface IRankTrainerFactory
{
    /// <summary>Validates <paramref name="config"/> for <paramref name="ranks"/> ranks (an exception naming the field
    /// otherwise) and says how the run goes.</summary>
    TrainingPlan Plan(string config, int ranks);

    IRankTrainer Create(RankContext context);
}

/// <summary>Who a rank is and what it has: its communicator reaches every rank of the epoch.</summary>
public sealed record RankContext(string RunId, int Rank, int WorldSize, string Config, Communicator Communicator, Device Device, IArtefactStore Store);

/// <summary>
/// One rank's share of a run; used only on its device thread. Steps are deterministic functions of the state and the
/// step number, so a rank restored from a snapshot taken after step k and stepped from k+1 on repeats the original.
/// </summary>
public interface IRankTrainer : IDisposable
{
    RankStepMetrics Step(long step, CancellationToken cancellationToken);

    /// <summary>Everything needed to resume exactly: weights, optimizer state, data cursor, random state.</summary>
    byte[] Snapshot();

    void Restore(byte[] snapshot);
}

/// <summary>A rank's loss for the step and what it trained on.</summary>
public readonly record struct RankStepMetrics(double Loss, long Tokens, int Samples);

/// <summary>A stage of the run: steps <see cref="FirstStep"/> to <see cref="LastStep"/>, inclusive (steps count from 1).</summary>
public sealed record TrainingStage(string Name, long FirstStep, long LastStep);

/// <summary>How a run goes: its steps, its stages, and after how many steps each checkpoint is committed.</summary>
public sealed record TrainingPlan(long Steps, long CheckpointEvery, IReadOnlyList<TrainingStage> Stages)
{
    public string? StageAt(long step) => Stages.FirstOrDefault(s => step >= s.FirstStep && step <= s.LastStep)?.Name;

    /// <summary>A checkpoint is committed every <see cref="CheckpointEvery"/> steps and after the last.</summary>
    public bool CheckpointAfter(long step) => step % CheckpointEvery == 0 || step == Steps;
}
