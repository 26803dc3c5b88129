using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Sharding;

namespace Seaweed.Parallel.Tests.Sharding;

public class FsdpTrainingTests
{
    private static readonly Lazy<Trajectory> Plain = new(() => ShardedTraining.Reference(maxGradNorm: null));
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(1, 3, 1)]
    [InlineData(1, 1, 2)]
    [InlineData(2, 2, 2)]
    [InlineData(1, 2, 2)]
    public void Sharded_steps_equal_single_process_training_on_the_global_batch(int dp, int fsdp, int cp)
    {
        var reference = Plain.Value;
        var ranks = ShardedTraining.Sharded(new ParallelLayout(dp, fsdp, cp));
        var initial = ShardedTraining.Initial();
        // Training moved the parameters far beyond the tolerance.
        Assert.True(ShardedTraining.RelativeError(reference.Parameters, initial) > 1000 * Tolerance);
        foreach (var rank in ranks)
        {
            double error = ShardedTraining.RelativeError(rank.Parameters, reference.Parameters);
            Assert.True(error <= Tolerance, $"parameters differ by {error:E2} (relative)");
            for (int s = 0; s < ShardedTraining.Steps; s++)
            {
                Assert.Equal(reference.Losses[s], rank.Losses[s], Tolerance * reference.Losses[s]);
                Assert.Equal(reference.GradNorms[s], rank.GradNorms[s], Tolerance * reference.GradNorms[s]);
            }
        }
    }

    [Fact]
    public void Clipping_uses_the_global_gradient_norm()
    {
        const double maxNorm = 0.05;
        var reference = ShardedTraining.Reference(maxNorm);
        Assert.All(reference.GradNorms, n => Assert.True(n > maxNorm, $"norm {n} would not be clipped"));
        var clipped = ShardedTraining.Sharded(new ParallelLayout(2, 2, 1), maxNorm);
        double effect = ShardedTraining.RelativeError(Plain.Value.Parameters, reference.Parameters);
        Assert.True(effect > 100 * Tolerance, $"clipping changed the parameters by only {effect:E2}");
        foreach (var rank in clipped)
        {
            double error = ShardedTraining.RelativeError(rank.Parameters, reference.Parameters);
            Assert.True(error <= Tolerance, $"parameters differ by {error:E2} (relative)");
        }
    }

    [Theory]
    [InlineData(2, 1, 1)]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(1, 3, 1)]
    [InlineData(2, 3, 1)]
    [InlineData(1, 2, 2)]
    [InlineData(2, 2, 2)]
    public void Bytes_per_step_follow_the_ring_formulas(int dp, int fsdp, int cp)
    {
        var layout = new ParallelLayout(dp, fsdp, cp);
        var ranks = ShardedTraining.Sharded(layout);
        using var dit = TinyDit.Create(0);
        var numels = FlatUnit.PerBlock(dit).Select(u => u.Numel).ToArray();
        long parameters = numels.Sum();
        int n = fsdp, m = dp * cp;
        for (int rank = 0; rank < layout.WorldSize; rank++)
        {
            var groups = layout.GroupsOf(rank);
            int f = groups.Shard.IndexOf(rank);
            long shard = numels.Sum(p => Communicator.ShardRange(p, n, f).Length);
            foreach (var traffic in ranks[rank].Reports.Select(r => r.Traffic))
            {
                // (n−1)/n·|P| floats each for the all-gather and the reduce-scatter, exact up to the uneven chunks:
                // the ring sends every chunk but one, and chunks differ by at most one element per unit.
                Assert.InRange(traffic.AllGather, 4 * ((n - 1) * parameters / n - numels.Length), 4 * ((n - 1) * parameters / n + numels.Length));
                Assert.InRange(traffic.ReduceScatter, 4 * ((n - 1) * parameters / n - numels.Length), 4 * ((n - 1) * parameters / n + numels.Length));
                Assert.InRange(traffic.GradientAllReduce, 4 * (2 * (m - 1) * shard / m - 2 * numels.Length), 4 * (2 * (m - 1) * shard / m + 2 * numels.Length));
                // Only Ulysses moves data inside the forward and backward.
                if (cp == 1) Assert.Equal(0, traffic.Compute);
                else Assert.True(traffic.Compute > 0);
                // Each scalar is all-gathered as two floats: the squared norm over the shard group, the loss over the world.
                Assert.Equal(8L * (n - 1) + 8L * (layout.WorldSize - 1), traffic.Scalars);
            }
        }
        // Over a shard group the ring's chunks add up exactly: each unit's vector crosses the ring n−1 times per phase.
        for (int s = 0; s < ShardedTraining.Steps; s++)
        {
            Assert.Equal(4L * (n - 1) * parameters * dp * cp, ranks.Sum(r => r.Reports[s].Traffic.AllGather));
            Assert.Equal(4L * (n - 1) * parameters * dp * cp, ranks.Sum(r => r.Reports[s].Traffic.ReduceScatter));
            Assert.Equal(4L * 2 * (m - 1) * parameters, ranks.Sum(r => r.Reports[s].Traffic.GradientAllReduce));
        }
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 1)]
    [InlineData(1, 3, 1)]
    [InlineData(1, 3, 2)]
    public void Each_rank_keeps_one_nth_of_the_parameters_gradients_and_AdamW_state(int dp, int fsdp, int cp)
    {
        var ranks = ShardedTraining.Sharded(new ParallelLayout(dp, fsdp, cp));
        using var dit = TinyDit.Create(0);
        var units = FlatUnit.PerBlock(dit);
        // Parameter, gradient, m and v: four float32 copies of the model without sharding.
        long unsharded = 4 * 4 * units.Sum(u => u.Numel);
        foreach (var rank in ranks)
            Assert.InRange(rank.PersistentBytes, unsharded / fsdp - 16 * units.Count, unsharded / fsdp + 16 * units.Count);
    }
}
