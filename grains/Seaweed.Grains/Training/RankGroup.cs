using Orleans.Runtime.MembershipService.SiloMetadata;
using Seaweed.Grains.Devices;

namespace Seaweed.Grains.Training;

/// <summary>
/// The ranks of a run as the run grain sees them: where each lives, how to place the ones that have no live silo on
/// free devices, and how to wait for all of them, failing the epoch at the first rank that fails, dies or stays
/// silent. Used on the run grain's scheduler only.
/// </summary>
internal sealed class RankGroup(IGrainFactory grains, IClusterMembershipService membership, ISiloMetadataCache metadata, string runId, int size)
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<int, RankReady> ready = [];

    public IReadOnlyDictionary<int, RankReady> Ready => ready;

    private IRankGrain Rank(int rank) => grains.GetGrain<IRankGrain>(TrainingKeys.Rank(runId, rank));

    /// <summary>Where the ranks were last seen, e.g. by an earlier activation of the run.</summary>
    public void Remember(IEnumerable<RankReady> ranks)
    {
        foreach (var r in ranks) ready[r.Rank] = r;
    }

    /// <summary>
    /// Prepares every rank for <paramref name="epoch"/> and returns once all have met at the rendezvous. A rank whose
    /// silo is gone is placed on the live device silo with the most free devices; one refused a device there is
    /// moved on. Work of older epochs is aborted first, so no rank is still busy with it.
    /// </summary>
    public async Task Assemble(int epoch, Func<int, RankSetup> setup, TimeSpan timeout, CancellationToken cancellationToken)
    {
        await AbortAll(epoch);
        var deadline = DateTime.UtcNow + timeout;
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var placed = ready.Where(r => IsLive(r.Value.Silo)).ToDictionary(r => r.Key, r => SiloAddress.FromParsableString(r.Value.Silo));
        var full = new HashSet<SiloAddress>();
        ready.Clear();

        async Task PrepareRank(int rank)
        {
            while (true)
            {
                var silo = placed.GetValueOrDefault(rank) ?? Place(rank, placed, full);
                placed[rank] = silo;
                try
                {
                    ready[rank] = await PlacementHint.On(silo, () => Rank(rank).Prepare(setup(rank), cancel.Token));
                    return;
                }
                catch (Exception e) when (e is not ArgumentException && !cancel.IsCancellationRequested && DateTime.UtcNow < deadline)
                {
                    // Refused a device (its silo is full with other runs' ranks), or its silo is going: move it.
                    if (e is NoFreeDeviceException) full.Add(silo);
                    placed.Remove(rank);
                    if (e is NoFreeDeviceException) await Rank(rank).Release();
                    await Task.Delay(RetryDelay, cancel.Token);
                }
            }
        }

        var prepares = Enumerable.Range(0, size).Select(PrepareRank).ToArray();
        try
        {
            await Watch(prepares, deadline, "assemble", cancel);
        }
        catch (RankFailureException)
        {
            await cancel.CancelAsync();
            throw;
        }
    }

    public async Task<RankStepReport[]> Step(int epoch, long step, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return await Watch(Enumerable.Range(0, size).Select(r => Rank(r).Step(epoch, step, cancel.Token)).ToArray(),
            DateTime.UtcNow + timeout, $"step {step}", cancel);
    }

    public async Task<RankShard[]> Save(int epoch, long step, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        return await Watch(Enumerable.Range(0, size).Select(r => Rank(r).Save(epoch, step, cancel.Token)).ToArray(),
            DateTime.UtcNow + timeout, $"checkpoint {step}", cancel);
    }

    /// <summary>Cancels whatever the live ranks still do in <paramref name="epoch"/> or before; best effort.</summary>
    public async Task AbortAll(int epoch)
    {
        var aborts = ready.Values.Where(r => IsLive(r.Silo)).Select(r => Rank(r.Rank).Abort(epoch).WaitAsync(TimeSpan.FromSeconds(5)));
        try { await Task.WhenAll(aborts); }
        catch (Exception) { } // a rank that cannot be told is being replaced anyway
    }

    /// <summary>Gives every rank's device back; best effort, the run is over.</summary>
    public async Task ReleaseAll()
    {
        try { await Task.WhenAll(ready.Values.Where(r => IsLive(r.Silo)).Select(r => Rank(r.Rank).Release().WaitAsync(TimeSpan.FromSeconds(30)))); }
        catch (Exception) { } // a rank that is gone holds no device
        ready.Clear();
    }

    /// <summary>
    /// The results of every call once all succeed; a failed call, a rank whose silo is no longer active, or the
    /// deadline passing fails the epoch with the reason, and the other calls are cancelled.
    /// </summary>
    private async Task<T[]> Watch<T>(Task<T>[] calls, DateTime deadline, string what, CancellationTokenSource cancel)
    {
        var all = Task.WhenAll(calls);
        while (true)
        {
            await Task.WhenAny(all, Task.Delay(Poll));
            if (all.IsCompletedSuccessfully) return all.Result;
            string? reason = Failure(calls) ?? Lost() ?? (DateTime.UtcNow > deadline ? $"ranks {string.Join(", ", Pending(calls))} silent past the deadline" : null);
            if (reason is null) continue;
            await cancel.CancelAsync();
            throw new RankFailureException($"{what}: {reason}", calls.Any(c => c.Exception?.InnerException is ArgumentException));
        }
    }

    private Task Watch(Task[] calls, DateTime deadline, string what, CancellationTokenSource cancel) =>
        Watch(calls.Select(async c => { await c; return true; }).ToArray(), deadline, what, cancel);

    /// <summary>The first real failure: a rank cancelled because a peer failed says less than the peer's failure.</summary>
    private static string? Failure<T>(Task<T>[] calls)
    {
        var failed = calls.Select((c, rank) => (c, rank)).Where(x => x.c.IsFaulted || x.c.IsCanceled).ToArray();
        if (failed.Length == 0) return null;
        var (call, rank) = failed.FirstOrDefault(x => x.c.Exception?.InnerException is not OperationCanceledException, failed[0]);
        var e = call.Exception?.InnerException;
        return $"rank {rank} failed: {(e is null ? "cancelled" : $"{e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}")}";
    }

    private string? Lost()
    {
        foreach (var r in ready.Values)
            if (!IsLive(r.Silo)) return $"rank {r.Rank}'s silo {r.Silo} is {membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(r.Silo))}";
        return null;
    }

    private static IEnumerable<int> Pending<T>(Task<T>[] calls) => calls.Select((c, rank) => (c, rank)).Where(x => !x.c.IsCompleted).Select(x => x.rank);

    private bool IsLive(string silo) => membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(silo)) == SiloStatus.Active;

    /// <summary>
    /// The live device silo with the most devices not taken by this run's other ranks (ties to the lowest address),
    /// skipping silos that refused a device this assembly. None → the assembly fails.
    /// </summary>
    private SiloAddress Place(int rank, IReadOnlyDictionary<int, SiloAddress> placed, HashSet<SiloAddress> full)
    {
        var members = membership.CurrentSnapshot.Members.Values.Where(m => m.Status == SiloStatus.Active).Select(m => m.SiloAddress);
        var best = members
            .Where(s => !full.Contains(s))
            .Select(s => (Silo: s, Free: DeviceMetadata.CountOf(metadata.GetSiloMetadata(s).Metadata) - placed.Count(p => p.Key != rank && p.Value.Equals(s))))
            .Where(s => s.Free > 0)
            .OrderByDescending(s => s.Free).ThenBy(s => s.Silo.ToParsableString(), StringComparer.Ordinal)
            .FirstOrDefault();
        return best.Silo ?? throw new RankFailureException(
            $"assemble: no live silo has a free device for rank {rank} ({size} ranks of run {runId}; {placed.Count(p => p.Key != rank)} placed)");
    }
}
