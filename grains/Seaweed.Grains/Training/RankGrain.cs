using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Concurrency;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;

namespace Seaweed.Grains.Training;

/// <summary>
/// A rank on a leased device. Every piece of tensor work (making the trainer, restoring, stepping, writing its
/// checkpoint shard) runs on the device's thread; the grain only awaits it, so <see cref="Deliver"/> and <see cref="Abort"/> are
/// served while a step waits for its peers.
/// </summary>
[DeviceSilosOnly]
[Orleans.Placement.Immovable] // it holds a device lease and the trainer's tensors
public sealed class RankGrain(DeviceHost devices, IServiceProvider services, IArtefactStore store, ILocalSiloDetails silo) : Grain, IRankGrain
{
    /// <summary>Long enough to outlast any run; the lease ends it with <see cref="Release"/> or the silo's end.</summary>
    private static readonly TimeSpan HoldWhileLeased = TimeSpan.FromDays(365);

    private DeviceLease? lease;
    private RankSession? session;

    private string Key => this.GetPrimaryKeyString();

    public async Task<RankReady> Prepare(RankSetup setup, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var (runId, rank) = TrainingKeys.ParseRank(Key);
        if (setup.RunId != runId || setup.Rank != rank) throw new ArgumentException($"setup of {setup.RunId}/{setup.Rank} sent to rank grain {Key}", nameof(setup));
        if (setup.Rank >= setup.WorldSize) throw new ArgumentException($"Rank: {setup.Rank} is not below WorldSize {setup.WorldSize}", nameof(setup));
        if (session is { } old && setup.Epoch < old.Epoch) throw new ArgumentException($"Epoch: {setup.Epoch} is older than this rank's epoch {old.Epoch}", nameof(setup));
        var factory = services.GetKeyedService<IRankTrainerFactory>(setup.Trainer)
            ?? throw new ArgumentException($"Trainer: no trainer named '{setup.Trainer}' on this silo", nameof(setup));
        await EndSession();
        try
        {
            return await Begin(setup, factory, runId, rank, cancellationToken);
        }
        catch
        {
            // Whatever failed or was cancelled, the device goes back: a rank that is not prepared holds none.
            await Release();
            throw;
        }
    }

    /// <summary>
    /// Opens the epoch's mailbox and meets the other ranks at the rendezvous before the trainer is made: making it
    /// runs collectives (the initial weights are broadcast), and a rank past the rendezvous knows every peer's mailbox
    /// for the epoch is open, so no message of the epoch finds a rank without one.
    /// </summary>
    private async Task<RankReady> Begin(RankSetup setup, IRankTrainerFactory factory, string runId, int rank, CancellationToken cancellationToken)
    {
        if (lease is null)
        {
            lease = devices.Lease(Key);
            DelayDeactivation(HoldWhileLeased);
        }
        var device = lease;
        var mailbox = new RankMailbox();
        var abort = CancellationTokenSource.CreateLinkedTokenSource(devices.Stopping);
        var transport = new GrainRankTransport(GrainFactory, runId, rank, setup.WorldSize, setup.Epoch, mailbox, setup.MaxMessageBytes, abort.Token);
        var current = session = new RankSession(setup.Epoch, mailbox, abort, transport);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abort.Token);

        string address = silo.SiloAddress.ToParsableString();
        await GrainFactory.GetGrain<IShardGroupGrain>(TrainingKeys.Group(runId, TrainingKeys.World))
            .Join(setup.Epoch, rank, setup.WorldSize, address, cancel.Token);

        var collectives = new CollectiveOptions { MaxMessageBytes = setup.MaxMessageBytes, Timeout = setup.CollectiveTimeout };
        var context = new RankContext(runId, rank, setup.WorldSize, setup.Config, setup.BaseDirectory, transport, collectives, device.Device, store);
        current.Trainer = await device.Run(() =>
        {
            var trainer = factory.Create(context);
            try
            {
                if (setup.RestoreStep is long step) Restore(trainer, runId, rank, step, cancel.Token);
                return trainer;
            }
            catch
            {
                trainer.Dispose();
                throw;
            }
        }, cancel.Token);
        return new RankReady(rank, address, device.Index, device.Kind.ToString().ToLowerInvariant());
    }

    public async Task<RankStepReport> Step(int epoch, long step, CancellationToken cancellationToken = default)
    {
        var (current, trainer, device) = Current(epoch);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, current.Abort.Token);
        var traffic = current.Transport;
        var (sent, received, messages) = (traffic.BytesSent, traffic.BytesReceived, traffic.Messages);
        var (metrics, seconds) = await device.Run(() =>
        {
            var watch = Stopwatch.StartNew();
            var m = trainer.Step(step, cancel.Token);
            return (m, watch.Elapsed.TotalSeconds);
        }, cancel.Token);
        return new RankStepReport(TrainingKeys.ParseRank(Key).Rank, step, metrics.Loss, metrics.Tokens, metrics.Samples, seconds,
            traffic.BytesSent - sent, traffic.BytesReceived - received, traffic.Messages - messages);
    }

    public async Task<RankShard> Save(int epoch, long step, CancellationToken cancellationToken = default)
    {
        var (current, trainer, device) = Current(epoch);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, current.Abort.Token);
        var (runId, rank) = TrainingKeys.ParseRank(Key);
        // Serializing and hashing are compute: they run on the device thread, which waits for the store meanwhile.
        return await device.Run(() =>
        {
            using var snapshot = trainer.Snapshot();
            if (snapshot.Step != step || snapshot.Rank != rank)
                throw new InvalidOperationException($"rank {rank}'s snapshot is of rank {snapshot.Rank} after {snapshot.Step} steps, not of the checkpoint's {step}");
            var entry = TrainingCheckpoint.WriteShardAsync(store, runId, snapshot, cancel.Token).GetAwaiter().GetResult();
            return new RankShard(rank, entry.Key, entry.Bytes, entry.Sha256, snapshot.Cursor.Images, snapshot.Cursor.Videos);
        }, cancel.Token);
    }

    public Task Deliver(int epoch, int from, int group, long sequence, int part, Immutable<byte[]> payload)
    {
        if (session is { } current)
        {
            if (current.Epoch == epoch) current.Mailbox.Deliver(from, new MessageTag(group, sequence, part), payload.Value);
            return Task.CompletedTask;
        }
        // Every rank of an epoch is prepared before any message of it is sent, so a rank without a session was either
        // released or has just been activated by this very call, wherever Orleans placed it (its silo died): that
        // activation must not stay to catch the next Prepare on a silo the run did not choose.
        if (lease is null) DeactivateOnIdle();
        throw new RankUnreachableException($"rank {Key} has no session for epoch {epoch}", null);
    }

    public Task Abort(int epoch)
    {
        if (session is { } current && current.Epoch <= epoch) current.Abort.Cancel();
        return Task.CompletedTask;
    }

    public async Task Release()
    {
        await EndSession();
        lease?.Dispose();
        lease = null;
        DeactivateOnIdle();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await EndSession();
        lease?.Dispose();
        lease = null;
    }

    private (RankSession Session, IRankTrainer Trainer, DeviceLease Device) Current(int epoch)
    {
        if (session is not { Trainer: { } trainer } current || lease is null) throw new InvalidOperationException($"rank {Key} is not prepared");
        if (current.Epoch != epoch) throw new ArgumentException($"epoch {epoch} is not this rank's epoch {current.Epoch}", nameof(epoch));
        return (current, trainer, lease);
    }

    /// <summary>Cancels the epoch's work and disposes its trainer on the device thread, behind whatever it still runs.</summary>
    private async Task EndSession()
    {
        if (session is not { } ending) return;
        session = null;
        ending.Abort.Cancel();
        if (ending.Trainer is { } trainer && lease is { } device)
            await device.Run(() =>
            {
                trainer.Dispose();
                return true;
            });
    }

    /// <summary>Restores the rank's shard of the checkpoint after <paramref name="step"/> steps; the shard is refused
    /// unless its length and hash are the manifest's.</summary>
    private void Restore(IRankTrainer trainer, string runId, int rank, long step, CancellationToken cancellationToken)
    {
        string key = TrainingCheckpoint.ManifestKey(runId, step);
        var manifest = CheckpointManifest.FromBytes(store.ReadAllBytesAsync(key, cancellationToken).GetAwaiter().GetResult(), store.Describe(key));
        using var snapshot = TrainingCheckpoint.ReadSnapshotAsync(store, manifest, rank, cancellationToken).GetAwaiter().GetResult();
        trainer.Restore(snapshot);
    }
}
