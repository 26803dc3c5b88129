using Seaweed.Grains.Training;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Samples;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// A minimal data-parallel trainer for the run's control flow: linear regression of fixed targets, each global batch
/// of <c>globalBatch</c> samples split over the ranks, gradients summed by all-reduce, plain gradient descent. Every
/// sample is a function of (seed, step, index), so a run resumed from a checkpoint repeats an unbroken one bit for bit.
/// With <see cref="HoldAt"/> set, every rank stops before that step until <see cref="Open"/> (the first pass only).
/// </summary>
internal sealed class LinearTrainer : IRankTrainerFactory
{
    public const int Dimensions = 24;

    private readonly ManualResetEventSlim gate = new(false);

    public long? HoldAt { get; init; }

    /// <summary>Counts down as ranks reach <see cref="HoldAt"/>.</summary>
    public CountdownEvent Held { get; init; } = new(1);

    public void Open() => gate.Set();

    public IRankTrainer Create(RankContext context) => new Rank(context, TrainingConfig.FromJson(context.Config, context.BaseDirectory), this);

    /// <summary>A run's config: <paramref name="steps"/> steps, a checkpoint every <paramref name="every"/>.</summary>
    public static string Config(int ranks, int steps, int every, int keep = 2) =>
        $$"""{ "model": "tiny", "parallel": { "ranks": {{ranks}}, "dp": {{ranks}} }, "steps": {{steps}}, "globalBatch": 8, "seed": 3, "optimizer": { "lr": 0.2, "warmupSteps": 1 }, "checkpoints": { "every": {{every}}, "keep": {{keep}} } }""";

    private sealed class Rank(RankContext context, TrainingConfig config, LinearTrainer factory) : IRankTrainer
    {
        private readonly Communicator communicator = new(context.Transport, context.Collectives);
        private Tensor weights = zeros(Dimensions);
        private DataCursor cursor;
        private long taken;

        public RankStepMetrics Step(long step, CancellationToken cancellationToken)
        {
            if (step == factory.HoldAt && !factory.gate.IsSet)
            {
                factory.Held.Signal();
                factory.gate.Wait(cancellationToken);
            }
            using var scope = NewDisposeScope();
            int batch = config.GlobalBatch;
            var mine = Enumerable.Range(0, batch).Where(j => j % context.WorldSize == context.Rank).ToArray();
            var x = stack(mine.Select(j => Sample(step, j)).ToArray());
            var target = x.matmul(Truth());
            var error = x.matmul(weights) - target;
            // The gradient and the squared error summed over this rank's samples, then over all ranks.
            var sums = cat([2 * x.t().matmul(error), error.square().sum().unsqueeze(0)]);
            communicator.AllReduce(ProcessGroup.World(context.WorldSize), sums, cancellationToken);
            var next = (weights - config.Optimizer.Lr * sums[..Dimensions] / batch).MoveToOuterDisposeScope();
            weights.Dispose();
            weights = next;
            cursor = cursor.Advance(batch, 0);
            taken = step + 1;
            return new RankStepMetrics(sums[Dimensions].item<float>() / batch, mine.Length, mine.Length);
        }

        private Tensor Sample(long step, int index)
        {
            var random = new Random((int)(config.Seed * 1_000_003 + step * 7919 + index));
            return tensor(Enumerable.Range(0, Dimensions).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray());
        }

        private static Tensor Truth() => arange(Dimensions, ScalarType.Float32) / Dimensions - 0.5f;

        public RankSnapshot Snapshot() => new(context.Rank, taken, cursor, new Dictionary<string, Tensor> { ["weights"] = weights.clone() });

        public void Restore(RankSnapshot snapshot)
        {
            weights.Dispose();
            weights = snapshot.Tensors["weights"].clone();
            (cursor, taken) = (snapshot.Cursor, snapshot.Step);
        }

        public void Dispose() => weights.Dispose();
    }
}
