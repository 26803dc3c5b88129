using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Store;
using Seaweed.Grains.Devices;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;

namespace Seaweed.Cli;

/// <summary>What both paths train: the run's config (as JSON), its ranks, their collectives and the store.</summary>
internal sealed record PathSetup(int Ranks, string Config, CollectiveOptions Collectives, IArtefactStore Store);

/// <summary>
/// One step of one path: its wall time at the caller, each rank's loss and each rank's clock. The wall time splits
/// into compute (on the device threads, outside the transport), transport (handing messages over, waiting for
/// peers) and dispatch (the rest: handing the step to the device threads and the results back), each a mean over ranks.
/// </summary>
internal sealed record PathStep(double Seconds, IReadOnlyList<double> Losses, IReadOnlyList<RankClock> Ranks)
{
    public double Compute => Ranks.Average(r => r.DeviceSeconds - r.TransportSeconds);
    public double Transport => Ranks.Average(r => r.TransportSeconds);
    public double Dispatch => Seconds - Compute - Transport;
}

/// <summary>
/// A way to step a run's ranks. Both ways make their trainers through a <see cref="ClockedTrainer"/> from the same
/// <see cref="PathSetup"/>, each rank on a thread of a <see cref="DeviceHost"/>; only the transport between the
/// ranks and the way a step reaches them differ.
/// </summary>
internal interface IStepPath : IAsyncDisposable
{
    /// <summary>libtorch's intra-op threads on each rank's device thread.</summary>
    IReadOnlyList<int> Threads { get; }

    /// <summary>Trains step <paramref name="step"/> (0-based) on every rank.</summary>
    Task<PathStep> Step(long step);

    /// <summary>Each rank's shards and optimizer state after <paramref name="steps"/> steps; the caller disposes them.</summary>
    Task<RankSnapshot[]> Snapshot(long steps);
}

/// <summary>The plain loop: the trainers on a device host of their own, over the in-process transport.</summary>
internal sealed class PlainRanks : IStepPath
{
    private readonly DeviceHost devices;
    private readonly DeviceLease[] leases;
    private readonly ClockedTrainer clocked;
    private IRankTrainer[] trainers = [];

    private PlainRanks(int ranks)
    {
        devices = new DeviceHost(new DeviceOptions { Count = ranks });
        leases = Enumerable.Range(0, ranks).Select(r => devices.Lease($"plain-{r}")).ToArray();
        clocked = new ClockedTrainer(ranks);
    }

    public IReadOnlyList<int> Threads => clocked.Threads;

    public static async Task<PlainRanks> StartAsync(PathSetup setup)
    {
        var plain = new PlainRanks(setup.Ranks);
        var transports = InProcessTransport.Create(setup.Ranks);
        // Built side by side: the trainers synchronise their initial weights with collectives.
        plain.trainers = await Task.WhenAll(plain.leases.Select((lease, r) => lease.Run(() => plain.clocked.Create(
            new RankContext("bench-grain-overhead-plain", r, setup.Ranks, setup.Config, null, transports[r], setup.Collectives, lease.Device, setup.Store)))));
        return plain;
    }

    public async Task<PathStep> Step(long step)
    {
        long start = Stopwatch.GetTimestamp();
        var metrics = await Task.WhenAll(leases.Select((lease, r) => lease.Run(() => trainers[r].Step(step, CancellationToken.None))));
        return new PathStep(Stopwatch.GetElapsedTime(start).TotalSeconds, metrics.Select(m => m.Loss).ToArray(), clocked.Last.ToArray());
    }

    public Task<RankSnapshot[]> Snapshot(long steps) => Task.WhenAll(leases.Select((lease, r) => lease.Run(() => trainers[r].Snapshot())));

    public async ValueTask DisposeAsync()
    {
        for (int r = 0; r < trainers.Length; r++)
        {
            var trainer = trainers[r];
            await leases[r].Run(() =>
            {
                trainer.Dispose();
                return true;
            });
        }
        devices.Dispose();
    }
}

/// <summary>
/// The same trainers as rank grains on one embedded silo, a device each: a step is a grain call per rank, the
/// collectives are grain calls, and the state comes out as the ranks' checkpoint shards.
/// </summary>
internal sealed class GrainRanks : IStepPath
{
    private const int Epoch = 1;
    private const string Trainer = "bench-clocked-recipe";

    private readonly EmbeddedCluster cluster;
    private readonly ClockedTrainer clocked;
    private readonly IArtefactStore store;
    private readonly IRankGrain[] ranks;

    private GrainRanks(EmbeddedCluster cluster, ClockedTrainer clocked, IArtefactStore store, IRankGrain[] ranks)
    {
        this.cluster = cluster;
        this.clocked = clocked;
        this.store = store;
        this.ranks = ranks;
    }

    public IReadOnlyList<int> Threads => clocked.Threads;

    /// <param name="stateDirectory">Where the silo keeps grain state.</param>
    public static async Task<GrainRanks> StartAsync(PathSetup setup, string stateDirectory)
    {
        int n = setup.Ranks;
        var clocked = new ClockedTrainer(n);
        var cluster = await EmbeddedCluster.StartAsync(1, 1, setup.Store, new CurationOptions(), stateDirectory,
            (_, silo) => silo.AddDevices(new DeviceOptions { Count = n }).AddRankTrainer(Trainer, clocked));
        try
        {
            string run = $"bench-grain-overhead-{Guid.NewGuid():N}";
            var ranks = Enumerable.Range(0, n).Select(r => cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank(run, r))).ToArray();
            var c = setup.Collectives;
            await Task.WhenAll(ranks.Select((g, r) => g.Prepare(new RankSetup(run, r, n, Epoch, Trainer, setup.Config, null, null, c.Timeout, c.MaxMessageBytes))));
            return new GrainRanks(cluster, clocked, setup.Store, ranks);
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task<PathStep> Step(long step)
    {
        long start = Stopwatch.GetTimestamp();
        var reports = await Task.WhenAll(ranks.Select(g => g.Step(Epoch, step)));
        return new PathStep(Stopwatch.GetElapsedTime(start).TotalSeconds, reports.Select(r => r.Loss).ToArray(), clocked.Last.ToArray());
    }

    public async Task<RankSnapshot[]> Snapshot(long steps)
    {
        var shards = await Task.WhenAll(ranks.Select(g => g.Save(Epoch, steps)));
        var snapshots = new RankSnapshot[shards.Length];
        foreach (var shard in shards)
        {
            var bytes = await store.ReadAllBytesAsync(shard.Key);
            snapshots[shard.Rank] = new RankSnapshot(shard.Rank, steps, new DataCursor(shard.Images, shard.Videos),
                Safetensors.Load(new MemoryStream(bytes, writable: false), store.Describe(shard.Key)));
        }
        return snapshots;
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(ranks.Select(g => g.Release()));
        await cluster.DisposeAsync();
    }
}
