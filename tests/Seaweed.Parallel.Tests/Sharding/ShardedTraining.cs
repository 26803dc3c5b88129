using Seaweed.Model;
using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Tests.Collectives;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

/// <summary>What a run produced: per-step losses and gradient norms, and the final parameters by name.</summary>
internal sealed record Trajectory(double[] Losses, double[] GradNorms, IReadOnlyList<(string Name, float[] Values)> Parameters, StepReport[] Reports, long PersistentBytes);

/// <summary>
/// k AdamW steps on the tiny DiT, each on its own global batch of <see cref="Samples"/> samples: plain single-process
/// TorchSharp training (the reference), or one <see cref="DistributedStep"/> per rank on threads.
/// </summary>
internal static class ShardedTraining
{
    public const int Steps = 3, Samples = 6, ModelSeed = 11, BatchSeed = 500;
    public const double LearningRate = 3e-3;
    public static readonly AdamWOptions Adam = new() { Beta1 = 0.9, Beta2 = 0.99, Eps = 1e-8, WeightDecay = 0.05 };

    private static readonly Lazy<TinyDit.Batch[]> Batches =
        new(() => Enumerable.Range(0, Steps).Select(s => TinyDit.GlobalBatch(Samples, BatchSeed + s)).ToArray());

    public static TinyDit.Batch[] GlobalBatches => Batches.Value;

    public static IReadOnlyList<(string Name, float[] Values)> Initial()
    {
        using var dit = TinyDit.Create(ModelSeed);
        return TinyDit.Parameters(dit);
    }

    /// <summary>The whole global batch in one forward, torch.optim.AdamW, torch's clip_grad_norm_.</summary>
    public static Trajectory Reference(double? maxGradNorm)
    {
        using var dit = TinyDit.Create(ModelSeed);
        using var adamW = optim.AdamW(dit.parameters(), LearningRate, Adam.Beta1, Adam.Beta2, Adam.Eps, Adam.WeightDecay);
        var all = Enumerable.Range(0, Samples).Select(i => (long)i).ToArray();
        var losses = new double[Steps];
        var norms = new double[Steps];
        for (int s = 0; s < Steps; s++)
        {
            using var scope = NewDisposeScope();
            adamW.zero_grad();
            var loss = TinyDit.Loss(dit, GlobalBatches[s], all);
            loss.backward();
            norms[s] = nn.utils.clip_grad_norm_(dit.parameters(), maxGradNorm ?? double.PositiveInfinity);
            adamW.step();
            losses[s] = loss.item<float>();
        }
        return new Trajectory(losses, norms, TinyDit.Parameters(dit), [], 0);
    }

    /// <summary>
    /// One rank per thread. Samples go to data ranks round-robin; each rank's loss is the sum of its samples'
    /// losses (under cp: its sequence shard's share of them) ÷ the global batch size, so the ranks' losses sum to
    /// the global mean.
    /// </summary>
    public static Trajectory[] Sharded(ParallelLayout layout, double? maxGradNorm = null) =>
        Sharded(layout, maxGradNorm, 0, Steps, restore: null).Select(r =>
        {
            r.State.Dispose();
            return r.Trajectory;
        }).ToArray();

    /// <summary>
    /// Steps [<paramref name="from"/>, <paramref name="to"/>) of the run; starts from <paramref name="restore"/>[rank]
    /// when given (on a model with other values), and returns every rank's state after the last step.
    /// </summary>
    public static (Trajectory Trajectory, RankShardState State)[] Sharded(ParallelLayout layout, double? maxGradNorm, int from, int to, RankShardState[]? restore)
    {
        layout.Validate(layout.WorldSize, TinyDit.Config.Dit.Heads);
        // Models are built here, not on the rank threads, so every rank starts from bit-identical values.
        using var initial = TinyDit.Create(restore is null ? ModelSeed : ModelSeed + 1);
        var models = Enumerable.Range(0, layout.WorldSize).Select(_ => TinyDit.CopyOf(initial)).ToArray();
        var batches = GlobalBatches;
        try
        {
            return Ranks.Run(layout.WorldSize, communicator =>
            {
                int rank = communicator.Rank;
                var dit = models[rank];
                using var step = new DistributedStep(FlatUnit.PerBlock(dit), communicator, layout.GroupsOf(rank), Adam, maxGradNorm);
                if (restore is not null) step.RestoreState(restore[rank]);
                // The cp ranks of a sample each embed and run their slice of its [text, video] sequence.
                var execution = layout.Cp == 1 ? null
                    : new DitExecution(Shard: new UlyssesExchange(communicator, step.Model.Groups.Context, TinyDit.Config.Dit.Heads).Shard);
                int dataRank = layout.DataRank(rank);
                var mine = Enumerable.Range(0, Samples).Where(i => i % layout.DataRanks == dataRank).Select(i => (long)i).ToArray();
                var reports = new List<StepReport>();
                for (int s = from; s < to; s++)
                {
                    var batch = batches[s];
                    reports.Add(step.Run(mine.Length, j => TinyDit.Loss(dit, batch, [mine[j]], execution) * (1.0 / Samples), LearningRate));
                }
                long persistent = step.PersistentBytes;
                Assert.Equal(0, dit.parameters().Sum(p => p.numel()));
                step.Model.GatherAll();
                var parameters = TinyDit.Parameters(dit);
                step.Model.ReleaseAll();
                var trajectory = new Trajectory(reports.Select(r => r.Loss).ToArray(), reports.Select(r => r.GradNorm).ToArray(),
                    parameters, reports.ToArray(), persistent);
                return (trajectory, step.TakeState());
            });
        }
        finally
        {
            foreach (var m in models) m.Dispose();
        }
    }

    /// <summary>‖a − b‖ ÷ ‖b‖ of each parameter tensor, the worst tensor's.</summary>
    /// <remarks>
    /// Per tensor rather than per element: AdamW divides by √v, so an element whose gradients nearly cancel between
    /// steps turns float32 rounding of a different summation order into a visibly different update (~1e-5 of the
    /// element), while the tensor as a whole agrees to ~1e-7.
    /// </remarks>
    public static double RelativeError(IReadOnlyList<(string Name, float[] Values)> actual, IReadOnlyList<(string Name, float[] Values)> expected)
    {
        Assert.Equal(expected.Select(p => p.Name), actual.Select(p => p.Name));
        double worst = 0;
        for (int i = 0; i < expected.Count; i++)
        {
            var (a, b) = (actual[i].Values, expected[i].Values);
            Assert.Equal(b.Length, a.Length);
            double diff = 0, norm = 0;
            for (int j = 0; j < b.Length; j++)
            {
                diff += Math.Pow((double)a[j] - b[j], 2);
                norm += Math.Pow(b[j], 2);
            }
            worst = Math.Max(worst, Math.Sqrt(diff / norm));
        }
        return worst;
    }
}
