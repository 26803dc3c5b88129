using Seaweed.Data.Store;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using static TorchSharp.torch;

namespace Seaweed.Grains.Training;

/// <summary>
/// Makes the trainers of one kind of run, registered keyed by its name (see
/// <see cref="TrainingSiloExtensions.AddRankTrainer"/>). Runs on the rank's device thread.
/// </summary>
public interface IRankTrainerFactory
{
    IRankTrainer Create(RankContext context);
}

/// <summary>
/// Who a rank is and what it has: the run's configuration (as given, relative paths resolving against
/// <see cref="BaseDirectory"/>), a transport that reaches every rank of the epoch with the collective options to
/// use over it, its device and the store.
/// </summary>
public sealed record RankContext(
    string RunId, int Rank, int WorldSize, string Config, string? BaseDirectory,
    IRankTransport Transport, CollectiveOptions Collectives, Device Device, IArtefactStore Store);

/// <summary>
/// One rank's share of a run, used only on its device thread. A step is a deterministic function of the state and
/// the step index, so a rank restored from the checkpoint after k steps and stepped from index k on repeats the run.
/// </summary>
public interface IRankTrainer : IDisposable
{
    /// <summary>Trains step <paramref name="step"/> (0-based).</summary>
    RankStepMetrics Step(long step, CancellationToken cancellationToken);

    /// <summary>Everything needed to resume exactly after the steps taken so far: the shard a checkpoint stores.</summary>
    RankSnapshot Snapshot();

    /// <summary>Takes up this rank's shard of a committed checkpoint; training continues from its step.</summary>
    void Restore(RankSnapshot snapshot);
}

/// <summary>A rank's loss for the step and what it trained on.</summary>
public readonly record struct RankStepMetrics(double Loss, long Tokens, int Samples);
