using System.Collections.Concurrent;
using Seaweed.Grains.Training;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// A "trainer" whose step k runs collective k (1-based) of <see cref="Steps"/> on inputs that depend only on (rank, step), and
/// records what came out, so a test can hold every rank's result against a reference computed locally. Values are
/// small integers: float sums of them are exact in any order.
/// </summary>
internal sealed class CollectiveProbe : IRankTrainerFactory
{
    public static readonly string[] Steps = ["all-reduce", "reduce-scatter", "all-gather", "all-to-all", "broadcast", "barrier", "all-reduce-large"];

    /// <summary>Elements of the all-reduce and reduce-scatter inputs: not divisible by 2, 3 or 4.</summary>
    public const int Numel = 1001;
    public const int LargeNumel = 24_000;
    public const int BroadcastRoot = 1;

    public ConcurrentDictionary<(string Run, int Rank, long Step), float[][]> Results { get; } = new();

    public IRankTrainer Create(RankContext context) => new Trainer(context, this);

    /// <summary>Element i of rank r's input at step k.</summary>
    public static float Input(int rank, long step, int i) => (rank + 1) * ((i + (int)step) % 7) - 3;

    public static float[] Inputs(int rank, long step, int numel) => Enumerable.Range(0, numel).Select(i => Input(rank, step, i)).ToArray();

    /// <summary>Lengths of what rank r sends to rank j in the all-to-all: every pair differs.</summary>
    public static int AllToAllLength(int from, int to) => 3 + from * 2 + to;

    /// <summary>Rank r's shard in the all-gather: uneven lengths.</summary>
    public static int GatherLength(int rank) => 5 + rank;

    private sealed class Trainer(RankContext context, CollectiveProbe probe) : IRankTrainer
    {
        private readonly Communicator comm = new(context.Transport, context.Collectives);

        public RankStepMetrics Step(long step, CancellationToken cancellationToken)
        {
            using var scope = NewDisposeScope();
            var world = ProcessGroup.World(context.WorldSize);
            int rank = context.Rank;
            Tensor[] outputs = Steps[step - 1] switch
            {
                "all-reduce" => [AllReduce(comm, world, Numel, step, cancellationToken)],
                "reduce-scatter" => [comm.ReduceScatter(world, tensor(Inputs(rank, step, Numel)), cancellationToken)],
                "all-gather" => [comm.AllGather(world, tensor(Inputs(rank, step, GatherLength(rank))), cancellationToken)],
                "all-to-all" => comm.AllToAll(world, Enumerable.Range(0, context.WorldSize).Select(j => tensor(Inputs(rank, step, AllToAllLength(rank, j)))).ToArray(), cancellationToken),
                "broadcast" => [Broadcast(comm, world, step, cancellationToken)],
                "barrier" => Barrier(comm, world, cancellationToken),
                "all-reduce-large" => [AllReduce(comm, world, LargeNumel, step, cancellationToken)],
                var other => throw new InvalidOperationException(other),
            };
            probe.Results[(context.RunId, rank, step)] = outputs.Select(t => t.data<float>().ToArray()).ToArray();
            return new RankStepMetrics(0, 0, 0);
        }

        private Tensor AllReduce(Communicator comm, ProcessGroup world, int numel, long step, CancellationToken ct)
        {
            var t = tensor(Inputs(context.Rank, step, numel));
            comm.AllReduce(world, t, ct);
            return t;
        }

        private Tensor Broadcast(Communicator comm, ProcessGroup world, long step, CancellationToken ct)
        {
            var t = context.Rank == BroadcastRoot ? tensor(Inputs(BroadcastRoot, step, Numel)) : zeros(Numel);
            comm.Broadcast(world, t, BroadcastRoot, ct);
            return t;
        }

        private static Tensor[] Barrier(Communicator comm, ProcessGroup world, CancellationToken ct)
        {
            comm.Barrier(world, ct);
            return [];
        }

        public RankSnapshot Snapshot() => throw new NotSupportedException("the probe keeps no state");

        public void Restore(RankSnapshot snapshot) => throw new NotSupportedException("the probe keeps no state");

        public void Dispose() { }
    }
}
