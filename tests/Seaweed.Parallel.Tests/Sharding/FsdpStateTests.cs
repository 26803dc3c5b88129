using Seaweed.Parallel.Sharding;
using Seaweed.Parallel.Tests.Collectives;

namespace Seaweed.Parallel.Tests.Sharding;

public class FsdpStateTests
{
    // The same operations in the same order; only libtorch's intra-op threading, which differs between threads and
    // with load, may split a reduction differently.
    private const double Tolerance = 1e-6;

    [Fact]
    public void A_restored_rank_state_continues_exactly_like_an_uninterrupted_run()
    {
        var layout = new ParallelLayout(1, 3, 1);
        var uninterrupted = ShardedTraining.Sharded(layout);
        var firstTwo = ShardedTraining.Sharded(layout, null, 0, 2, restore: null);
        var states = firstTwo.Select(r => r.State).ToArray();
        Assert.All(states, s => Assert.Equal(2, s.Step));
        Assert.Equal(["blocks.0", "blocks.1", "blocks.2", "rest"], states[1].Units.Select(u => u.Unit));
        // The three ranks' shards tile every unit's flat vector.
        for (int u = 0; u < states[0].Units.Count; u++)
        {
            Assert.Equal(0, states[0].Units[u].Start);
            for (int r = 1; r < 3; r++)
                Assert.Equal(states[r - 1].Units[u].Start + states[r - 1].Units[u].Length, states[r].Units[u].Start);
            Assert.Equal(states[2].Units[u].Numel, states[2].Units[u].Start + states[2].Units[u].Length);
        }

        // Resumed on models with other values: the restored shards replace them.
        var resumed = ShardedTraining.Sharded(layout, null, 2, 3, states);
        foreach (var s in states) s.Dispose();
        for (int r = 0; r < 3; r++)
        {
            Assert.Equal(3, resumed[r].State.Step);
            Assert.InRange(ShardedTraining.RelativeError(resumed[r].Trajectory.Parameters, uninterrupted[r].Parameters), 0, Tolerance);
            Assert.Equal(uninterrupted[r].Losses[2], resumed[r].Trajectory.Losses[0], Tolerance * uninterrupted[r].Losses[2]);
            resumed[r].State.Dispose();
        }
    }

    [Fact]
    public void A_state_of_another_layout_is_refused_naming_the_unit()
    {
        var threeWay = ShardedTraining.Sharded(new ParallelLayout(1, 3, 1), null, 0, 1, restore: null);
        using var state = threeWay[0].State;
        var failure = Assert.Throws<AggregateException>(() => Ranks.Run(2, communicator =>
        {
            using var dit = TinyDit.Create(ShardedTraining.ModelSeed);
            using var step = new DistributedStep(FlatUnit.PerBlock(dit), communicator, new ParallelLayout(1, 2, 1).GroupsOf(communicator.Rank), ShardedTraining.Adam);
            if (communicator.Rank == 0) step.RestoreState(state);
            return 0;
        }));
        var e = Assert.IsType<ArgumentException>(failure.InnerExceptions.Single());
        Assert.Equal("state", e.ParamName);
        Assert.Contains("'blocks.0'", e.Message);
        foreach (var r in threeWay.Skip(1)) r.State.Dispose();
    }

    [Fact]
    public void SingleProcess_runs_the_same_math_as_one_rank_of_a_mesh()
    {
        var mesh = ShardedTraining.Sharded(new ParallelLayout(1, 1, 1)).Single();
        using var dit = TinyDit.Create(ShardedTraining.ModelSeed);
        using var step = DistributedStep.SingleProcess(FlatUnit.PerBlock(dit), ShardedTraining.Adam);
        var losses = new List<double>();
        foreach (var batch in ShardedTraining.GlobalBatches)
            losses.Add(step.Run(ShardedTraining.Samples,
                i => TinyDit.Loss(dit, batch, [i]) * (1.0 / ShardedTraining.Samples), ShardedTraining.LearningRate).Loss);
        step.Model.GatherAll();
        Assert.InRange(ShardedTraining.RelativeError(TinyDit.Parameters(dit), mesh.Parameters), 0, Tolerance);
        for (int s = 0; s < losses.Count; s++) Assert.Equal(mesh.Losses[s], losses[s], Tolerance * mesh.Losses[s]);
        Assert.Equal(0, step.Run(0, _ => throw new InvalidOperationException("no micro-batches"), 0).Traffic.Total);
    }
}
