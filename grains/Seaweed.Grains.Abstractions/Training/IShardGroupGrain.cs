namespace Seaweed.Grains.Training;

/// <summary>The ranks of a group in one epoch, and the silo each runs on.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.training.group-members")]
public sealed record GroupMembers(int Epoch, int Size, IReadOnlyDictionary<int, string> Silos);

/// <summary>
/// Membership and rendezvous of one group of a run (key <c>{run}/{group}</c>): the ranks of an epoch register, and
/// no one leaves the rendezvous before all have, so no collective starts with a member missing. A newer epoch
/// supersedes the older one: its waiters are cancelled.
/// </summary>
public interface IShardGroupGrain : IGrainWithStringKey
{
    /// <summary>Registers <paramref name="rank"/> of <paramref name="size"/> for <paramref name="epoch"/>; completes
    /// when every rank of the epoch has registered.</summary>
    Task<GroupMembers> Join(int epoch, int rank, int size, string silo, CancellationToken cancellationToken = default);
}
