using Seaweed.Parallel.Collectives;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>
/// FSDP over one rank's copy of a module (ZeRO-3 / HSDP): every unit's flat vector is split across the rank's shard
/// group by <see cref="Communicator.ShardRange"/> (uneven sizes allowed), and the rank keeps only its own slice of
/// the parameters and of the gradient. The full parameters exist only between <see cref="Gather"/> and
/// <see cref="Release"/>.
/// </summary>
public sealed class FullyShardedModule : IDisposable
{
    private readonly Communicator communicator;
    private readonly Tensor[] parameterShards;
    private readonly Tensor[] gradientShards;
    private readonly Device[] devices;

    /// <summary>
    /// Takes this rank's shard of every unit from the module's current parameters, which must be equal on every
    /// rank (same seed or same checkpoint), then frees the full parameters.
    /// </summary>
    public FullyShardedModule(IReadOnlyList<FlatUnit> units, Communicator communicator, RankGroups groups)
    {
        if (units.Count == 0) throw new ArgumentException("no units to shard", nameof(units));
        this.communicator = communicator;
        Units = units;
        Groups = groups;
        int index = groups.Shard.IndexOf(communicator.Rank);
        Ranges = units.Select(u => Communicator.ShardRange(u.Numel, groups.Shard.Size, index)).ToArray();
        devices = units.Select(u => u.Entries[0].Parameter.device).ToArray();
        parameterShards = new Tensor[units.Count];
        gradientShards = new Tensor[units.Count];
        for (int u = 0; u < units.Count; u++)
        {
            using var scope = NewDisposeScope();
            var (start, length) = Ranges[u];
            parameterShards[u] = units[u].FlattenParameters().narrow(0, start, length).clone().DetachFromDisposeScope();
            gradientShards[u] = zeros(length, dtype: float32, device: devices[u]).DetachFromDisposeScope();
            units[u].Release();
        }
    }

    public IReadOnlyList<FlatUnit> Units { get; }
    public RankGroups Groups { get; }

    /// <summary>This rank's (start, length) in each unit's flat vector.</summary>
    public IReadOnlyList<(long Start, long Length)> Ranges { get; }

    /// <summary>This rank's parameter shard of each unit (live: the optimizer updates them in place).</summary>
    public IReadOnlyList<Tensor> ParameterShards => parameterShards;

    /// <summary>This rank's gradient shard of each unit: the sum over every rank's gradient, after <see cref="ReduceGradients"/>.</summary>
    public IReadOnlyList<Tensor> GradientShards => gradientShards;

    /// <summary>Bytes this rank keeps between steps: parameter and gradient shards.</summary>
    public long PersistentBytes => parameterShards.Concat(gradientShards).Sum(t => t.numel() * t.ElementSize);

    /// <summary>All-gathers unit <paramref name="unit"/> in the shard group and points the module's parameters at it.</summary>
    public void Gather(int unit)
    {
        using var scope = NewDisposeScope();
        var full = communicator.AllGather(Groups.Shard, parameterShards[unit]);
        Units[unit].Bind(full.to(devices[unit]));
    }

    /// <summary>Frees unit <paramref name="unit"/>'s full parameters and gradients.</summary>
    public void Release(int unit) => Units[unit].Release();

    public void GatherAll()
    {
        for (int u = 0; u < Units.Count; u++) Gather(u);
    }

    public void ReleaseAll()
    {
        for (int u = 0; u < Units.Count; u++) Release(u);
    }

    /// <summary>
    /// Reduce-scatters unit <paramref name="unit"/>'s local full gradient in the shard group into its gradient
    /// shard: the sum over this shard group's ranks.
    /// </summary>
    public void ReduceScatterGradients(int unit)
    {
        using var scope = NewDisposeScope();
        var shard = communicator.ReduceScatter(Groups.Shard, Units[unit].FlattenGradients());
        using var noGrad = no_grad();
        gradientShards[unit].copy_(shard);
    }

    /// <summary>
    /// Sums unit <paramref name="unit"/>'s gradient shard over the gradient group (the replicas and cp ranks that
    /// hold the same shard index and computed their own partial gradients).
    /// </summary>
    public void AllReduceGradientShard(int unit)
    {
        if (Groups.Gradient.Size > 1) communicator.AllReduce(Groups.Gradient, gradientShards[unit]);
    }

    public void Dispose()
    {
        foreach (var t in parameterShards.Concat(gradientShards)) t.Dispose();
    }
}
