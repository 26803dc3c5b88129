using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel;

/// <summary>Bytes this rank sent in each phase of one step.</summary>
/// <param name="AllGather">Parameter all-gathers in the shard group: (n−1)/n·|P|·4 for n shard ranks.</param>
/// <param name="Compute">Traffic inside the loss closure and backward (Ulysses all-to-alls).</param>
/// <param name="ReduceScatter">Gradient reduce-scatters in the shard group: (n−1)/n·|P|·4.</param>
/// <param name="GradientAllReduce">Shard all-reduces over the gradient group: 2(m−1)/m·|shard|·4 for m = dp·cp.</param>
/// <param name="Scalars">The gradient norm and the loss: 8·(n−1) bytes each over a group of n.</param>
public sealed record StepTraffic(long AllGather, long Compute, long ReduceScatter, long GradientAllReduce, long Scalars)
{
    public long Total => AllGather + Compute + ReduceScatter + GradientAllReduce + Scalars;
}

/// <param name="Step">The optimizer step just taken (1 for the first).</param>
/// <param name="Loss">The global loss: the sum of every rank's closure losses.</param>
/// <param name="GradNorm">The global gradient L2 norm before clipping.</param>
public sealed record StepReport(long Step, double Loss, double GradNorm, StepTraffic Traffic);

/// <summary>
/// One optimizer step of one rank: gather the parameters → run this rank's micro-batches and backward → reduce
/// the gradients (reduce-scatter in the shard group, all-reduce over the gradient group) → optional global
/// gradient-norm clipping → AdamW on the shards. Every rank of the mesh calls <see cref="Run(Func{Tensor}, double)"/>
/// once per step; the closures' losses must be scaled so that their sum over all ranks is the global mean loss,
/// which makes the summed gradient the gradient of that mean.
/// </summary>
public sealed class DistributedStep : IDisposable
{
    private readonly Communicator communicator;
    private readonly double? maxGradNorm;

    /// <param name="maxGradNorm">Clip the global gradient norm to this (torch's clip_grad_norm_), or null for none.</param>
    public DistributedStep(IReadOnlyList<FlatUnit> units, Communicator communicator, RankGroups groups, AdamWOptions options, double? maxGradNorm = null)
    {
        if (maxGradNorm is { } max && !(max > 0 && double.IsFinite(max)))
            throw new ArgumentException($"maxGradNorm {max} must be a finite number > 0", nameof(maxGradNorm));
        this.communicator = communicator;
        this.maxGradNorm = maxGradNorm;
        Model = new FullyShardedModule(units, communicator, groups);
        Optimizer = new ShardedAdamW(options, Model.Ranges.Select(r => r.Length).ToArray(), Model.ParameterShards[0].device);
    }

    /// <summary>The same math on one rank and no peers: the reference for the distributed runs.</summary>
    public static DistributedStep SingleProcess(IReadOnlyList<FlatUnit> units, AdamWOptions options, double? maxGradNorm = null) =>
        new(units, new Communicator(InProcessTransport.Create(1)[0]), new ParallelLayout(1, 1, 1).GroupsOf(0), options, maxGradNorm);

    public FullyShardedModule Model { get; }
    public ShardedAdamW Optimizer { get; }

    /// <summary>Parameter, gradient and AdamW shards: what this rank holds between steps.</summary>
    public long PersistentBytes => Model.PersistentBytes + Optimizer.StateBytes;

    public StepReport Run(Func<Tensor> loss, double learningRate) => Run(1, _ => loss(), learningRate);

    /// <summary>
    /// One step over <paramref name="microBatches"/> micro-batches (0 is allowed: the rank still takes part in the
    /// collectives with a zero gradient). Each micro-batch's loss is backpropagated before the next runs, so only
    /// one micro-batch's activations are alive at a time. <paramref name="backward"/> replaces <c>loss.backward()</c>
    /// (activation checkpointing's, which rethrows a failure inside a recomputed block): a micro-batch whose backward
    /// fails ends the step before the optimizer, so the parameters stay as they were.
    /// </summary>
    public StepReport Run(int microBatches, Func<int, Tensor> microBatchLoss, double learningRate, Action<Tensor>? backward = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(microBatches);
        using var scope = NewDisposeScope();
        double localLoss = 0;
        long gather, compute, reduceScatter, allReduce;
        try
        {
            gather = Measure(Model.GatherAll);
            compute = Measure(() =>
            {
                for (int i = 0; i < microBatches; i++)
                {
                    using var microScope = NewDisposeScope();
                    var loss = microBatchLoss(i);
                    if (backward is null) loss.backward();
                    else backward(loss);
                    localLoss += loss.detach().to(float64).item<double>();
                }
            });
            reduceScatter = Measure(() => ForEachUnit(u =>
            {
                Model.ReduceScatterGradients(u);
                Model.Release(u);
            }));
        }
        finally
        {
            // Also after a failed closure: the full parameters never outlive the step.
            Model.ReleaseAll();
        }
        allReduce = Measure(() => ForEachUnit(Model.AllReduceGradientShard));

        double gradNorm = 0, globalLoss = 0;
        long scalars = Measure(() =>
        {
            gradNorm = Math.Sqrt(SumOver(Model.Groups.Shard, Model.GradientShards.Sum(g => g.to(float64).square().sum().item<double>())));
            globalLoss = SumOver(Model.Groups.World, localLoss);
        });
        if (maxGradNorm is { } max && gradNorm > max)
        {
            // torch.nn.utils.clip_grad_norm_: scale by max / (norm + 1e-6).
            using var noGrad = no_grad();
            double coefficient = max / (gradNorm + 1e-6);
            foreach (var g in Model.GradientShards) g.mul_(coefficient);
        }
        Optimizer.Step(Model.ParameterShards, Model.GradientShards, learningRate);
        return new StepReport(Optimizer.StepCount, globalLoss, gradNorm, new StepTraffic(gather, compute, reduceScatter, allReduce, scalars));
    }

    /// <summary>Host copies of this rank's parameter and AdamW shards and the step count, for a checkpoint.</summary>
    public RankShardState TakeState()
    {
        var units = new List<UnitShardState>();
        for (int u = 0; u < Model.Units.Count; u++)
            units.Add(new UnitShardState(Model.Units[u].Name, Model.Units[u].Numel, Model.Ranges[u].Start,
                Copy(Model.ParameterShards[u]), Copy(Optimizer.ExpAvg[u]), Copy(Optimizer.ExpAvgSq[u])));
        return new RankShardState(Optimizer.StepCount, units);
    }

    /// <summary>
    /// Puts back a state taken by <see cref="TakeState"/> on a rank with the same units and shard range; a
    /// mismatch throws <see cref="ArgumentException"/> naming the unit before anything is changed.
    /// </summary>
    public void RestoreState(RankShardState state)
    {
        if (state.Units.Count != Model.Units.Count)
            throw new ArgumentException($"the state has {state.Units.Count} units, the model {Model.Units.Count}", nameof(state));
        for (int u = 0; u < Model.Units.Count; u++)
        {
            var (s, unit, range) = (state.Units[u], Model.Units[u], Model.Ranges[u]);
            if (s.Unit != unit.Name || s.Numel != unit.Numel || s.Start != range.Start || s.Length != range.Length)
                throw new ArgumentException(
                    $"unit {u}: the state holds '{s.Unit}' [{s.Start}, +{s.Length}) of {s.Numel}, this rank '{unit.Name}' [{range.Start}, +{range.Length}) of {unit.Numel}",
                    nameof(state));
        }
        Optimizer.Restore(state.Step, state.Units.Select(s => s.ExpAvg).ToArray(), state.Units.Select(s => s.ExpAvgSq).ToArray());
        using var noGrad = no_grad();
        for (int u = 0; u < Model.Units.Count; u++) Model.ParameterShards[u].copy_(state.Units[u].Parameters.reshape(-1));
    }

    private void ForEachUnit(Action<int> action)
    {
        for (int u = 0; u < Model.Units.Count; u++) action(u);
    }

    private long Measure(Action phase)
    {
        long before = communicator.Traffic.BytesSent;
        phase();
        return communicator.Traffic.BytesSent - before;
    }

    /// <summary>
    /// The float64 sum of every member's value. Collectives carry float32, so each value travels as an exact
    /// (hi, lo) pair of floats and the pairs are added here in float64, in group order: every member gets the same sum.
    /// </summary>
    private double SumOver(ProcessGroup group, double value)
    {
        float hi = (float)value;
        using var pair = tensor(new[] { hi, (float)(value - hi) });
        using var all = communicator.AllGather(group, pair);
        double sum = 0;
        foreach (float part in all.data<float>()) sum += part;
        return sum;
    }

    private static Tensor Copy(Tensor t) =>
        (t.device_type == TorchSharp.DeviceType.CPU ? t.detach().clone() : t.detach().cpu()).DetachFromDisposeScope();

    public void Dispose()
    {
        Model.Dispose();
        Optimizer.Dispose();
    }
}
