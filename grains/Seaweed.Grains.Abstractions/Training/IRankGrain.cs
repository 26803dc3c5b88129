using Orleans.Concurrency;

namespace Seaweed.Grains.Training;

/// <summary>
/// One rank of a training run (key <c>{run}/{rank}</c>) on one leased device of the silo it lives on. The run prepares
/// it for an epoch, then steps it; its collectives reach the other ranks through <see cref="Deliver"/>. Work of an
/// older epoch is abandoned when a newer one is prepared, so a restarted group never mixes messages of two epochs.
/// </summary>
public interface IRankGrain : IGrainWithStringKey
{
    /// <summary>
    /// Leases a device (kept until the rank is released or deactivated), makes the trainer, restores its shard of
    /// the checkpoint if one is named (length and hash checked first), then waits at the world group's rendezvous
    /// until every rank of the epoch is there. No free device here → <c>NoFreeDeviceException</c>.
    /// </summary>
    [ResponseTimeout("00:30:00")]
    Task<RankReady> Prepare(RankSetup setup, CancellationToken cancellationToken = default);

    /// <summary>Runs step <paramref name="step"/> of the epoch on the device.</summary>
    [ResponseTimeout("00:30:00")]
    Task<RankStepReport> Step(int epoch, long step, CancellationToken cancellationToken = default);

    /// <summary>Writes this rank's shard of the checkpoint after <paramref name="step"/> steps (uncommitted until the
    /// run writes the manifest) and says what it hashes to.</summary>
    [ResponseTimeout("00:30:00")]
    Task<RankShard> Save(int epoch, long step, CancellationToken cancellationToken = default);

    /// <summary>A message from rank <paramref name="from"/>'s collectives; runs beside a step that waits for it.
    /// Messages of any other epoch than the current one are dropped.</summary>
    [AlwaysInterleave]
    Task Deliver(int epoch, int from, int group, long sequence, int part, Immutable<byte[]> payload);

    /// <summary>Cancels whatever the rank is doing in <paramref name="epoch"/> (or an older one): a peer has failed.</summary>
    [AlwaysInterleave]
    Task Abort(int epoch);

    /// <summary>Ends the rank's part in the run: its trainer is disposed, its device given back.</summary>
    Task Release();
}
