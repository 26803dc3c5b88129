using Seaweed.Grains.Training;
using Seaweed.Parallel.Collectives;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// Every collective run by rank grains over two silos (ranks 0 and 1 on the first, rank 2 on the second, so rings
/// cross silos both ways) equals the reference computed here, and every rank's byte counters equal the ring formulas.
/// </summary>
public sealed class GrainCollectivesTests : IAsyncLifetime
{
    private const int Ranks = 3;
    /// <summary>Small, so the large all-reduce travels as many parts.</summary>
    private const int MaxMessageBytes = 4096;

    private readonly CollectiveProbe probe = new();
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await TrainingCluster.StartAsync([2, 1], new Dictionary<string, IRankTrainerFactory> { ["probe"] = probe });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    [Fact]
    public async Task Each_collective_through_rank_grains_equals_the_local_reference_and_the_ring_byte_counts()
    {
        const string run = "collectives";
        var silos = cluster.Cluster.Silos.Select(s => s.SiloAddress).ToArray();
        int[] siloOf = [0, 0, 1];
        var ranks = Enumerable.Range(0, Ranks).Select(r => cluster.Grains.GetGrain<IRankGrain>(TrainingKeys.Rank(run, r))).ToArray();
        var ready = await Task.WhenAll(Enumerable.Range(0, Ranks).Select(r => PlacementHint.On(silos[siloOf[r]], () =>
            ranks[r].Prepare(new RankSetup(run, r, Ranks, 1, "probe", "", null, null, TimeSpan.FromSeconds(30), MaxMessageBytes)))));
        for (int r = 0; r < Ranks; r++) Assert.Equal(silos[siloOf[r]].ToParsableString(), ready[r].Silo);
        Assert.Equal([0, 1], ready.Take(2).Select(x => x.Device).Order());

        for (int step = 1; step <= CollectiveProbe.Steps.Length; step++)
        {
            long k = step;
            var reports = await Task.WhenAll(ranks.Select(r => r.Step(1, k)));
            string op = CollectiveProbe.Steps[step - 1];
            for (int r = 0; r < Ranks; r++)
            {
                Assert.Equal(Expected(op, r, k), probe.Results[(run, r, k)]);
                Assert.True(ExpectedBytes(op, r) == reports[r].BytesSent, $"{op}: rank {r} sent {reports[r].BytesSent} bytes, not {ExpectedBytes(op, r)}");
            }
            Assert.Equal(reports.Sum(x => x.BytesSent), reports.Sum(x => x.BytesReceived));
            if (op == "all-reduce-large")
            {
                // Each chunk's message is cut into parts within the budget and ended by a shorter one.
                int partFloats = MaxMessageBytes / sizeof(float), chunk = CollectiveProbe.LargeNumel / Ranks;
                Assert.All(reports, x => Assert.Equal(2 * (Ranks - 1) * (chunk / partFloats + 1), x.Messages));
            }
        }
        await Task.WhenAll(ranks.Select(r => r.Release()));
    }

    private static float[][] Expected(string op, int rank, long step)
    {
        float[] Sum(int numel) => Enumerable.Range(0, numel).Select(i => Enumerable.Range(0, Ranks).Sum(r => CollectiveProbe.Input(r, step, i))).ToArray();
        switch (op)
        {
            case "all-reduce": return [Sum(CollectiveProbe.Numel)];
            case "all-reduce-large": return [Sum(CollectiveProbe.LargeNumel)];
            case "reduce-scatter":
                var (start, length) = Communicator.ShardRange(CollectiveProbe.Numel, Ranks, rank);
                return [Sum(CollectiveProbe.Numel).Skip((int)start).Take((int)length).ToArray()];
            case "all-gather":
                return [Enumerable.Range(0, Ranks).SelectMany(r => CollectiveProbe.Inputs(r, step, CollectiveProbe.GatherLength(r))).ToArray()];
            case "all-to-all":
                return Enumerable.Range(0, Ranks).Select(from => CollectiveProbe.Inputs(from, step, CollectiveProbe.AllToAllLength(from, rank))).ToArray();
            case "broadcast": return [CollectiveProbe.Inputs(CollectiveProbe.BroadcastRoot, step, CollectiveProbe.Numel)];
            case "barrier": return [];
            default: throw new ArgumentException(op, nameof(op));
        }
    }

    /// <summary>
    /// Ring reduce-scatter: a member sends every chunk but its own; ring all-gather: every chunk but its right
    /// neighbour's. With equal chunks that is (n−1)/n of the data each, 2(n−1)/n for the all-reduce.
    /// </summary>
    private static long ExpectedBytes(string op, int rank)
    {
        long Chunk(int numel, int index) => Communicator.ShardRange(numel, Ranks, index).Length;
        int right = (rank + 1) % Ranks;
        return op switch
        {
            "all-reduce" => 4 * (2L * CollectiveProbe.Numel - Chunk(CollectiveProbe.Numel, rank) - Chunk(CollectiveProbe.Numel, right)),
            "all-reduce-large" => 2L * (Ranks - 1) * 4 * CollectiveProbe.LargeNumel / Ranks,
            "reduce-scatter" => 4 * (CollectiveProbe.Numel - Chunk(CollectiveProbe.Numel, rank)),
            "all-gather" => 4L * Enumerable.Range(0, Ranks).Where(r => r != right).Sum(CollectiveProbe.GatherLength),
            "all-to-all" => 4L * Enumerable.Range(0, Ranks).Where(j => j != rank).Sum(j => CollectiveProbe.AllToAllLength(rank, j)),
            "broadcast" => (rank - CollectiveProbe.BroadcastRoot + Ranks) % Ranks < Ranks - 1 ? 4L * CollectiveProbe.Numel : 0,
            "barrier" => 0,
            _ => throw new ArgumentException(op, nameof(op)),
        };
    }
}
