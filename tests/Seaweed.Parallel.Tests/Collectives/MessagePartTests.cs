using System.Collections.Concurrent;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Collectives;

public class MessagePartTests
{
    /// <summary>Records every payload size and tag a rank sends.</summary>
    private sealed class Recording(IRankTransport inner, ConcurrentBag<(MessageTag Tag, int Bytes)> sent) : IRankTransport
    {
        public int Rank => inner.Rank;
        public int WorldSize => inner.WorldSize;

        public void Send(int to, MessageTag tag, byte[] payload)
        {
            sent.Add((tag, payload.Length));
            inner.Send(to, tag, payload);
        }

        public byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            inner.Receive(from, tag, timeout, cancellationToken);
    }

    [Theory, InlineData(3, 101, 12), InlineData(4, 64, 16), InlineData(5, 37, 4), InlineData(2, 9, 7)]
    public void A_small_cap_cuts_messages_into_many_parts_and_the_results_stay_exact(int ranks, int length, int cap)
    {
        var sent = new ConcurrentBag<(MessageTag Tag, int Bytes)>();
        var options = Ranks.Quick with { MaxMessageBytes = cap };
        var results = Ranks.Run(ranks, c =>
        {
            var group = ProcessGroup.World(ranks);
            using var t = tensor(Ranks.Values(c.Rank, length));
            c.AllReduce(group, t);
            using var shard = c.ReduceScatter(group, tensor(Ranks.Values(c.Rank, length)));
            using var gathered = c.AllGather(group, shard);
            using var b = tensor(Ranks.Values(c.Rank, length));
            c.Broadcast(group, b, ranks - 1);
            var pieces = c.AllToAll(group, Enumerable.Range(0, ranks).Select(j => tensor(Ranks.Values(c.Rank, length + j))).ToArray());
            return (AllReduce: t.data<float>().ToArray(), Gathered: gathered.data<float>().ToArray(), Broadcast: b.data<float>().ToArray(),
                Pieces: pieces.Select(p => p.data<float>().ToArray()).ToArray(), c.Traffic.Messages);
        }, options, t => new Recording(t, sent));
        var sum = Ranks.Sum(ranks, length);
        Assert.All(results, r => Assert.Equal(sum, r.AllReduce));
        Assert.All(results, r => Assert.Equal(sum, r.Gathered));
        Assert.All(results, r => Assert.Equal(Ranks.Values(ranks - 1, length), r.Broadcast));
        for (int to = 0; to < ranks; to++)
            for (int from = 0; from < ranks; from++)
                Assert.Equal(Ranks.Values(from, length + to), results[to].Pieces[from]);
        Assert.All(sent, s => Assert.InRange(s.Bytes, 0, cap));
        // Cut at the cap, rounded down to whole floats.
        Assert.Equal(cap / 4 * 4, sent.Max(s => s.Bytes));
    }

    [Theory, InlineData(3, 101, 12), InlineData(4, 64, 16), InlineData(5, 3, 4)]
    public void AllReduce_sends_one_part_per_whole_cap_plus_a_closing_part_per_chunk(int ranks, int length, int cap)
    {
        var messages = Ranks.Run(ranks, c =>
        {
            using var t = tensor(Ranks.Values(c.Rank, length));
            c.AllReduce(ProcessGroup.World(ranks), t);
            return c.Traffic.Messages;
        }, Ranks.Quick with { MaxMessageBytes = cap });
        long Parts(int chunk) => Communicator.ShardRange(length, ranks, chunk).Length / (cap / 4) + 1;
        for (int r = 0; r < ranks; r++)
        {
            // Reduce-scatter sends every chunk but its own, all-gather every chunk but its right neighbour's.
            long expected = Enumerable.Range(0, ranks).Sum(c => (c != r ? Parts(c) : 0) + (c != (r + 1) % ranks ? Parts(c) : 0));
            Assert.Equal(expected, messages[r]);
        }
    }
}
