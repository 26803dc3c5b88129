using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Collectives;

public class CollectiveResultTests
{
    public static TheoryData<int, int> Sizes()
    {
        var data = new TheoryData<int, int>();
        foreach (int ranks in new[] { 1, 2, 3, 4, 5 })
            foreach (int length in new[] { 0, 1, 2, 3, 7, 10, 64, 101 })
                data.Add(ranks, length);
        return data;
    }

    [Theory, MemberData(nameof(Sizes))]
    public void AllReduce_sums_every_rank_exactly(int ranks, int length)
    {
        var results = Ranks.Run(ranks, c =>
        {
            using var t = tensor(Ranks.Values(c.Rank, length));
            c.AllReduce(ProcessGroup.World(ranks), t);
            return t.data<float>().ToArray();
        });
        var expected = Ranks.Sum(ranks, length);
        Assert.All(results, r => Assert.Equal(expected, r));
    }

    [Theory, MemberData(nameof(Sizes))]
    public void ReduceScatter_returns_each_members_shard_of_the_sum(int ranks, int length)
    {
        var results = Ranks.Run(ranks, c =>
        {
            using var input = tensor(Ranks.Values(c.Rank, length));
            using var shard = c.ReduceScatter(ProcessGroup.World(ranks), input);
            Assert.Equal(Ranks.Values(c.Rank, length), input.data<float>().ToArray());
            return shard.data<float>().ToArray();
        });
        var expected = Ranks.Sum(ranks, length);
        for (int r = 0; r < ranks; r++)
        {
            var (start, count) = Communicator.ShardRange(length, ranks, r);
            Assert.Equal(expected.Skip((int)start).Take((int)count), results[r]);
        }
    }

    [Theory, MemberData(nameof(Sizes))]
    public void AllGather_concatenates_uneven_shards_in_group_order(int ranks, int length)
    {
        var full = Ranks.Values(0, length, salt: 3);
        var results = Ranks.Run(ranks, c =>
        {
            var (start, count) = Communicator.ShardRange(length, ranks, c.Rank);
            using var shard = tensor(full.Skip((int)start).Take((int)count).ToArray());
            using var gathered = c.AllGather(ProcessGroup.World(ranks), shard);
            Assert.Equal(1, gathered.dim());
            return gathered.data<float>().ToArray();
        });
        Assert.All(results, r => Assert.Equal(full, r));
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3), InlineData(5)]
    public void AllToAll_delivers_piece_j_to_member_j(int ranks)
    {
        // Piece (from → to) has length from + 2·to and values that name both ends.
        static float[] Piece(int from, int to) => Enumerable.Range(0, from + 2 * to).Select(i => (float)(100 * from + 10 * to + i)).ToArray();
        var results = Ranks.Run(ranks, c =>
        {
            var send = Enumerable.Range(0, ranks).Select(to => tensor(Piece(c.Rank, to)).reshape(1, -1)).ToArray();
            var received = c.AllToAll(ProcessGroup.World(ranks), send);
            return received.Select(t => t.data<float>().ToArray()).ToArray();
        });
        for (int to = 0; to < ranks; to++)
            for (int from = 0; from < ranks; from++)
                Assert.Equal(Piece(from, to), results[to][from]);
    }

    [Theory, InlineData(1, 0), InlineData(2, 1), InlineData(3, 0), InlineData(4, 2), InlineData(5, 4)]
    public void Broadcast_copies_the_roots_tensor_to_every_member(int ranks, int root)
    {
        var results = Ranks.Run(ranks, c =>
        {
            using var t = tensor(Ranks.Values(c.Rank, 37)).reshape(37, 1);
            c.Broadcast(ProcessGroup.World(ranks), t, root);
            return t.data<float>().ToArray();
        });
        Assert.All(results, r => Assert.Equal(Ranks.Values(root, 37), r));
    }

    [Theory, InlineData(1), InlineData(2), InlineData(3), InlineData(5)]
    public void Barrier_lets_no_member_leave_before_every_member_has_entered(int ranks)
    {
        int entered = 0;
        var seen = Ranks.Run(ranks, c =>
        {
            // The last rank arrives late, so a barrier that let anyone through early would be caught.
            if (c.Rank == ranks - 1) Thread.Sleep(50);
            Interlocked.Increment(ref entered);
            c.Barrier(ProcessGroup.World(ranks));
            return Volatile.Read(ref entered);
        });
        Assert.All(seen, n => Assert.Equal(ranks, n));
    }

    [Fact]
    public void ShardRange_uses_floor_boundaries_and_allows_empty_shards()
    {
        Assert.Equal((0L, 3L), Communicator.ShardRange(10, 3, 0));
        Assert.Equal((3L, 3L), Communicator.ShardRange(10, 3, 1));
        Assert.Equal((6L, 4L), Communicator.ShardRange(10, 3, 2));
        Assert.Equal((0L, 0L), Communicator.ShardRange(2, 5, 0));
        Assert.Equal((1L, 1L), Communicator.ShardRange(2, 5, 4));
        Assert.Equal((0L, 0L), Communicator.ShardRange(2, 5, 1));
        Assert.Equal(2L, Enumerable.Range(0, 5).Sum(i => Communicator.ShardRange(2, 5, i).Length));
        Assert.Contains("index", Assert.Throws<ArgumentOutOfRangeException>(() => Communicator.ShardRange(4, 2, 2)).Message);
    }
}
