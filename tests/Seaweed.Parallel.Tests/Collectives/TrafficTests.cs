using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Collectives;

/// <summary>The bytes each rank puts on the wire equal the ring formulas exactly (counted on both ends).</summary>
public class TrafficTests
{
    private static long Chunk(long length, int ranks, int index) => Communicator.ShardRange(length, ranks, index).Length;

    private static TrafficCounters[] AllReduceTraffic(int ranks, int length) => Ranks.Run(ranks, c =>
    {
        using var t = tensor(Ranks.Values(c.Rank, length));
        c.AllReduce(ProcessGroup.World(ranks), t);
        return c.Traffic;
    });

    [Theory, InlineData(2, 64), InlineData(4, 64), InlineData(5, 100), InlineData(3, 3)]
    public void AllReduce_sends_two_n_minus_one_over_n_of_the_data(int ranks, int length)
    {
        var traffic = AllReduceTraffic(ranks, length);
        long bytes = 4L * length;
        Assert.All(traffic, t => Assert.Equal(2 * (ranks - 1) * bytes / ranks, t.BytesSent));
        Assert.All(traffic, t => Assert.Equal(2 * (ranks - 1) * bytes / ranks, t.BytesReceived));
    }

    [Theory, InlineData(3, 10), InlineData(4, 7), InlineData(5, 3), InlineData(4, 1)]
    public void AllReduce_of_uneven_sizes_sends_every_chunk_but_its_own_then_every_chunk_but_its_right_neighbours(int ranks, int length)
    {
        var traffic = AllReduceTraffic(ranks, length);
        for (int r = 0; r < ranks; r++)
        {
            long floats = 2L * length - Chunk(length, ranks, r) - Chunk(length, ranks, (r + 1) % ranks);
            Assert.Equal(4 * floats, traffic[r].BytesSent);
            // What a rank receives is what its left neighbour sends.
            long left = 2L * length - Chunk(length, ranks, (r + ranks - 1) % ranks) - Chunk(length, ranks, r);
            Assert.Equal(4 * left, traffic[r].BytesReceived);
        }
    }

    [Theory, InlineData(4, 64), InlineData(3, 10), InlineData(5, 3)]
    public void ReduceScatter_and_AllGather_each_send_n_minus_one_over_n(int ranks, int length)
    {
        var traffic = Ranks.Run(ranks, c =>
        {
            var group = ProcessGroup.World(ranks);
            using var input = tensor(Ranks.Values(c.Rank, length));
            using var shard = c.ReduceScatter(group, input);
            long afterReduceScatter = c.Traffic.BytesSent;
            using var full = c.AllGather(group, shard);
            return (ReduceScatter: afterReduceScatter, AllGather: c.Traffic.BytesSent - afterReduceScatter);
        });
        for (int r = 0; r < ranks; r++)
        {
            Assert.Equal(4 * (length - Chunk(length, ranks, r)), traffic[r].ReduceScatter);
            Assert.Equal(4 * (length - Chunk(length, ranks, (r + 1) % ranks)), traffic[r].AllGather);
        }
    }

    [Fact]
    public void AllToAll_sends_every_piece_but_its_own_and_Broadcast_sends_the_tensor_once_per_link()
    {
        const int ranks = 4, piece = 6;
        var traffic = Ranks.Run(ranks, c =>
        {
            var group = ProcessGroup.World(ranks);
            var send = Enumerable.Range(0, ranks).Select(j => tensor(Ranks.Values(c.Rank, piece + j))).ToArray();
            c.AllToAll(group, send);
            long allToAll = c.Traffic.BytesSent;
            using var t = tensor(Ranks.Values(c.Rank, 10));
            c.Broadcast(group, t, rootIndex: 1);
            return (AllToAll: allToAll, Broadcast: c.Traffic.BytesSent - allToAll);
        });
        for (int r = 0; r < ranks; r++)
        {
            Assert.Equal(4L * Enumerable.Range(0, ranks).Where(j => j != r).Sum(j => piece + j), traffic[r].AllToAll);
            // The chain from root 1 is 1 → 2 → 3 → 0: the last member forwards nothing.
            Assert.Equal(r == 0 ? 0 : 40, traffic[r].Broadcast);
        }
    }

    [Fact]
    public void Counters_are_zero_after_Reset()
    {
        var traffic = Ranks.Run(2, c =>
        {
            using var t = tensor(Ranks.Values(c.Rank, 8));
            c.AllReduce(ProcessGroup.World(2), t);
            Assert.True(c.Traffic.Messages > 0);
            c.Traffic.Reset();
            return c.Traffic;
        });
        Assert.All(traffic, t => Assert.Equal((0L, 0L, 0L, 0L), (t.BytesSent, t.BytesReceived, t.Messages, t.MessagesReceived)));
    }
}
