using Orleans.Concurrency;

namespace Seaweed.Grains.Training;

/// <summary>
/// The rendezvous of one group: a barrier per epoch. Reentrant, so joins wait side by side; its state is the live
/// epoch's only (a restarted group rendezvouses afresh), so it is not persisted.
/// </summary>
[Reentrant]
public sealed class ShardGroupGrain : Grain, IShardGroupGrain
{
    private int epoch = -1;
    private int size;
    private Dictionary<int, string> silos = [];
    private TaskCompletionSource<GroupMembers> complete = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public async Task<GroupMembers> Join(int epoch, int rank, int size, string silo, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(size);
        if ((uint)rank >= (uint)size) throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {size})");
        ArgumentException.ThrowIfNullOrEmpty(silo);
        if (epoch < this.epoch) throw new ArgumentException($"epoch {epoch} is older than the group's epoch {this.epoch}", nameof(epoch));
        if (epoch > this.epoch)
        {
            complete.TrySetException(new OperationCanceledException($"epoch {this.epoch} was superseded by epoch {epoch}"));
            (this.epoch, this.size, silos) = (epoch, size, []);
            complete = new TaskCompletionSource<GroupMembers>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        else if (size != this.size) throw new ArgumentException($"size {size} differs from the epoch's size {this.size}", nameof(size));

        silos[rank] = silo;
        if (silos.Count == size) complete.TrySetResult(Members());
        return await complete.Task.WaitAsync(cancellationToken);
    }

    private GroupMembers Members() => new(epoch, size, new SortedDictionary<int, string>(silos));
}
