using Seaweed.Data.Store;
using Seaweed.Parallel.Collectives;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;
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
/// <see cref="BaseDirectory"/>), a communicator that reaches every rank of the epoch, its device and the store.
/// </summary>
public sealed record RankContext(string RunId, int Rank, int WorldSize, string Config, string? BaseDirectory, Communicator Communicator, Device Device, IArtefactStore Store);

/// <summary>
/// One rank's share of a run, used only on its device thread. A step is a deterministic function of the state and
/// the step index, so a rank restored from the checkpoint after k steps and stepped from index k on repeats the run.
/// </summary>
public interface IRankTrainer : IDisposable
{
    /// <summary>Trains step <paramref name="step"/> (0-based).</summary>
    RankStepMetrics Step(long step, CancellationToken cancellationToken);

    /// <summary>Everything needed to resume exactly after the steps taken so far.</summary>
    RankSnapshot Snapshot();

    /// <summary>Takes up the state of a committed checkpoint: this rank's shard of it. The tensors are disposed
    /// once this returns.</summary>
    void Restore(CheckpointManifest manifest, IReadOnlyDictionary<string, Tensor> shard);
}

/// <summary>A rank's loss for the step and what it trained on.</summary>
public readonly record struct RankStepMetrics(double Loss, long Tokens, int Samples);

/// <summary>
/// A rank's state as a checkpoint shard stores it: CPU tensors (owned by the snapshot, disposed with it), the
/// shard's metadata, and the data cursor after the steps taken.
/// </summary>
public sealed class RankSnapshot(IReadOnlyDictionary<string, Tensor> tensors, DataCursor cursor, IReadOnlyDictionary<string, string>? metadata = null) : IDisposable
{
    public IReadOnlyDictionary<string, Tensor> Tensors { get; } = tensors;
    public DataCursor Cursor { get; } = cursor;
    public IReadOnlyDictionary<string, string>? Metadata { get; } = metadata;

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
