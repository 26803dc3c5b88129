using System.Diagnostics;
using Seaweed.Data.Store;
using Seaweed.Model;
using Seaweed.Parallel;
using Seaweed.Parallel.Balance;
using Seaweed.Parallel.Checkpointing;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Planning;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Training.Ranks;

/// <summary>
/// One rank of a training run: its model copy (FSDP shards of the trained weights, the frozen VAE in full), its
/// share of every global batch, and the optimizer step through <see cref="DistributedStep"/>, with Ulysses
/// sequence sharding over the context group and multi-level activation checkpointing per the config. Every rank
/// of the mesh constructs its trainer and calls <see cref="Step"/> in lockstep; both block on collectives, so they
/// run on a device worker thread, never on a scheduler thread. The model, its shards, the optimizer state and every
/// sample live on the rank's <see cref="Device"/>; collectives carry host copies.
/// </summary>
public sealed class RankTrainer : IDisposable
{
    private readonly TrainingConfig config;
    private readonly Communicator communicator;
    private readonly DistributedStep step;
    private readonly ActivationCheckpointing? checkpointing;
    private readonly DitExecution? execution;
    private readonly BatchLookAhead lookAhead;
    private readonly LearningRateSchedule schedule;
    private readonly IReadOnlyList<string> unitNames;

    /// <param name="cost">Predicted sample runtime for the balancer; when null, the config's <c>balance</c> (FLOPs,
    /// or a table measured on rank 0).</param>
    /// <param name="collectives">Message size and timeout of this rank's collectives; the defaults when null.</param>
    /// <param name="device">Where this rank computes; the CPU when null.</param>
    public RankTrainer(TrainingConfig config, int rank, IRankTransport transport, ISampleSource source, ISampleCost? cost = null,
        CollectiveOptions? collectives = null, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentNullException.ThrowIfNull(source);
        var p = config.Parallel;
        if (transport.WorldSize != p.Ranks)
            throw new ArgumentException($"the transport connects {transport.WorldSize} ranks, the config has {p.Ranks}", nameof(transport));
        if (transport.Rank != rank) throw new ArgumentException($"the transport is rank {transport.Rank}'s, not rank {rank}'s", nameof(transport));
        this.config = config;
        Rank = rank;
        Layout = p.Layout(config.ModelConfig.Dit);
        Groups = Layout.GroupsOf(rank);
        DataRank = Layout.DataRank(rank);
        communicator = new Communicator(transport, collectives);
        Device = device ?? CPU;
        Model = TrainingModel.Create(config, source, Device);
        TrainingModel.Synchronise(Model, communicator);
        var units = TrainingModel.Units(Model);
        unitNames = units.Select(u => u.Name).ToArray();
        var o = config.Optimizer;
        step = new DistributedStep(units, communicator, Groups,
            new AdamWOptions { Beta1 = o.Betas[0], Beta2 = o.Betas[1], Eps = o.Eps, WeightDecay = o.WeightDecay },
            o.GradClip > 0 ? o.GradClip : null);
        if (config.ActivationCheckpointing != CheckpointPolicy.All(ActivationLevel.Keep))
            checkpointing = new ActivationCheckpointing(config.ActivationCheckpointing);
        // The cp ranks of a data rank hold the same samples; each computes its slice of every sample's sequence.
        var shard = p.Cp > 1 ? new UlyssesExchange(communicator, Groups.Context, config.ModelConfig.Dit.Heads).Shard : null;
        execution = checkpointing?.Execution(shard) ?? (shard is null ? null : new DitExecution(Shard: shard));
        if (cost is null && config.Balance == TrainingConfig.MeasuredBalance)
            cost = MeasuredCost.Agree(config.ModelConfig, (int)config.Seed, communicator, Groups.World);
        var planner = new BatchPlanner(config, source, cost);
        Curriculum = planner.Curriculum;
        Cost = planner.Cost;
        lookAhead = new BatchLookAhead(planner, source, DataRank);
        schedule = new LearningRateSchedule(o, config.Steps);
    }

    /// <summary>Opens the config's sample source (a dataset needs <paramref name="store"/>) and builds the rank.</summary>
    public static async Task<RankTrainer> CreateAsync(TrainingConfig config, int rank, IRankTransport transport, IArtefactStore? store = null,
        ISampleCost? cost = null, CollectiveOptions? collectives = null, Device? device = null, CancellationToken cancellationToken = default)
    {
        var source = await SampleSources.OpenAsync(config, store, cancellationToken);
        return new RankTrainer(config, rank, transport, source, cost, collectives, device);
    }

    /// <summary>The single-rank reference: the same run (global batch, draws, schedule) on one rank.</summary>
    public static RankTrainer SingleRank(TrainingConfig config, ISampleSource source, ISampleCost? cost = null) =>
        new((config with { Parallel = ParallelConfig.Single }).Validate(), 0, InProcessTransport.Create(1)[0], source, cost);

    public int Rank { get; }
    public int DataRank { get; }

    /// <summary>The device this rank computes on.</summary>
    public Device Device { get; }
    public ParallelLayout Layout { get; }
    public RankGroups Groups { get; }

    /// <summary>
    /// Whether this rank is the first of its context group, so the one that counts its data rank's tokens and
    /// samples: the cp ranks of a data rank all train on the same samples.
    /// </summary>
    public bool IsContextLead => Groups.Context.IndexOf(Rank) == 0;
    public Curriculum Curriculum { get; }

    /// <summary>What this rank's batch plans are balanced on.</summary>
    public ISampleCost Cost { get; }
    /// <summary>
    /// This rank's model. Between steps the trained weights (DiT, text encoder) live only as FSDP shards, so read
    /// them through <see cref="Snapshot"/>; the tokenizer and the frozen VAE are whole.
    /// </summary>
    public SeaweedModel Model { get; }

    /// <summary>Steps taken; the next <see cref="Step"/> is step index <see cref="CompletedSteps"/>.</summary>
    public long CompletedSteps { get; private set; }

    /// <summary>Where the next step's batch starts in the sample streams.</summary>
    public DataCursor Cursor { get; private set; }

    public bool IsComplete => CompletedSteps >= config.Steps;

    /// <summary>Bytes this rank has sent over its transport.</summary>
    public long BytesSent => communicator.Traffic.BytesSent;

    /// <summary>The activation memory accounting, when activation checkpointing is on.</summary>
    public ActivationMemory? ActivationMemory => checkpointing?.Memory;

    /// <summary>One optimizer step on this rank's share of the global batch; every rank calls it together.</summary>
    public StepMetrics Step()
    {
        if (IsComplete) throw new InvalidOperationException($"the run's {config.Steps} steps are done");
        var clock = Stopwatch.StartNew();
        long index = CompletedSteps;
        var batch = lookAhead.Take(index, Cursor);
        double planWait = clock.Elapsed.TotalSeconds;
        double lr = schedule.At(index);
        var samples = batch.Samples;
        // Each sample is a micro-batch: shapes differ. Scaling by the global batch makes the ranks' losses sum to the batch mean.
        double scale = 1.0 / config.GlobalBatch;
        var report = step.Run(samples.Count, i =>
        {
            var encoded = SampleEncoder.Encode(Model, samples[i], config.Seed, index, Device);
            return encoded.Loss(Model, execution) * scale;
        }, lr, checkpointing is null ? null : checkpointing.Backward);
        CompletedSteps = index + 1;
        Cursor = batch.Plan.Next;
        var stage = batch.Plan.Stage;
        return new StepMetrics(CompletedSteps, stage.Index, stage.Name, report.Loss, report.GradNorm, lr, batch.Plan.Tokens,
            samples.Sum(s => s.Plan.Tokens), samples.Count, clock.Elapsed.TotalSeconds, planWait, report.Traffic);
    }

    /// <summary>Copies of this rank's shards and optimizer state with the step and cursor they belong to.</summary>
    public RankSnapshot Snapshot() => RankSnapshot.From(Rank, CompletedSteps, Cursor, step.TakeState());

    /// <summary>Puts back a snapshot of this rank (from <see cref="Snapshot"/> or a checkpoint shard); training continues from its step.</summary>
    public void Restore(RankSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Rank != Rank) throw new ArgumentException($"the snapshot is rank {snapshot.Rank}'s, this is rank {Rank}", nameof(snapshot));
        if (snapshot.Step < 0 || snapshot.Step > config.Steps)
            throw new ArgumentException($"step {snapshot.Step} is outside the run's 0..{config.Steps}", nameof(snapshot));
        step.RestoreState(snapshot.ToShardState(unitNames));
        CompletedSteps = snapshot.Step;
        Cursor = snapshot.Cursor;
    }

    public void Dispose()
    {
        lookAhead.Dispose();
        step.Dispose();
        checkpointing?.Dispose();
        Model.Dispose();
    }
}
