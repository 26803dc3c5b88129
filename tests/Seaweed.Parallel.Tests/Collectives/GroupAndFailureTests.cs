using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Collectives;

public class GroupAndFailureTests
{
    [Fact]
    public void Two_groups_used_concurrently_by_the_same_ranks_do_not_mix()
    {
        // Group 1 in world order, group 2 reversed (so its ring runs the other way); same ranks, same thread pool.
        var forward = new ProcessGroup(1, [0, 1, 2, 3]);
        var backward = new ProcessGroup(2, [3, 2, 1, 0]);
        var results = Ranks.Run(4, c =>
        {
            float[] Run(ProcessGroup g, int salt)
            {
                using var t = tensor(Ranks.Values(c.Rank, 50, salt));
                for (int i = 0; i < 20; i++)
                {
                    c.AllReduce(g, t);
                    t.div_(4);
                }
                return t.data<float>().ToArray();
            }
            var a = Task.Factory.StartNew(() => Run(forward, 1), TaskCreationOptions.LongRunning);
            var b = Task.Factory.StartNew(() => Run(backward, 2), TaskCreationOptions.LongRunning);
            return (A: a.Result, B: b.Result);
        });
        // Summing 4 equal copies and dividing by 4 keeps the mean: every iteration after the first is exact.
        float[] Mean(int salt) => Ranks.Sum(4, 50, salt).Select(v => v / 4).ToArray();
        Assert.All(results, r => Assert.Equal(Mean(1), r.A));
        Assert.All(results, r => Assert.Equal(Mean(2), r.B));
    }

    [Fact]
    public void A_subgroup_leaves_the_other_ranks_alone()
    {
        var pair = new ProcessGroup(7, [1, 3]);
        var results = Ranks.Run(4, c =>
        {
            using var t = tensor(Ranks.Values(c.Rank, 5));
            if (pair.Ranks.Contains(c.Rank)) c.AllReduce(pair, t);
            return t.data<float>().ToArray();
        });
        var sum = Ranks.Values(1, 5).Zip(Ranks.Values(3, 5), (x, y) => x + y).ToArray();
        Assert.Equal(sum, results[1]);
        Assert.Equal(sum, results[3]);
        Assert.Equal(Ranks.Values(0, 5), results[0]);
    }

    [Fact]
    public async Task A_missing_peer_fails_the_collective_with_a_timeout_naming_it()
    {
        var options = new CollectiveOptions { Timeout = TimeSpan.FromMilliseconds(300) };
        var transports = InProcessTransport.Create(3);
        var present = transports.Take(2).Select(t => Task.Factory.StartNew(() =>
        {
            using var x = tensor(Ranks.Values(t.Rank, 9));
            return Record.Exception(() => new Communicator(t, options).AllReduce(ProcessGroup.World(3), x));
        }, TaskCreationOptions.LongRunning)).ToArray();
        var errors = await Task.WhenAll(present).WaitAsync(TimeSpan.FromSeconds(20));
        // Rank 0's left neighbour is the missing rank 2; rank 1 then waits in vain for rank 0.
        var error = Assert.IsType<CollectiveTimeoutException>(errors[0]);
        Assert.Contains("no message from rank 2", error.Message);
        Assert.Contains("AllReduce", error.Message);
        Assert.IsType<CollectiveTimeoutException>(errors[1]);
    }

    [Fact]
    public void A_cancelled_collective_throws_OperationCanceled()
    {
        var transports = InProcessTransport.Create(2);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        using var x = tensor(new float[4]);
        Assert.ThrowsAny<OperationCanceledException>(() =>
            new Communicator(transports[0], Ranks.Quick).AllReduce(ProcessGroup.World(2), x, cancel.Token));
        Assert.Equal(0, transports[0].Mailbox.Pending);
    }

    [Fact]
    public void Tensors_of_different_sizes_on_different_ranks_are_reported()
    {
        var errors = Ranks.Run(2, c =>
        {
            using var t = tensor(new float[c.Rank == 0 ? 4 : 6]);
            return Record.Exception(() => c.Broadcast(ProcessGroup.World(2), t, 0));
        }, new CollectiveOptions { Timeout = TimeSpan.FromSeconds(5) });
        Assert.Null(errors[0]);
        Assert.Contains("4 floats where 6 were expected", Assert.IsType<InvalidOperationException>(errors[1]).Message);
    }

    [Fact]
    public void Bad_arguments_name_the_parameter()
    {
        var c = new Communicator(InProcessTransport.Create(2)[0], Ranks.Quick);
        using var ints = tensor(new[] { 1, 2 });
        Assert.Contains("tensor", Assert.Throws<ArgumentException>(() => c.AllReduce(ProcessGroup.World(2), ints)).ParamName);
        using var x = tensor(new float[2]);
        Assert.Equal("rootIndex", Assert.Throws<ArgumentOutOfRangeException>(() => c.Broadcast(ProcessGroup.World(2), x, 2)).ParamName);
        Assert.Equal("send", Assert.Throws<ArgumentException>(() => c.AllToAll(ProcessGroup.World(2), [x])).ParamName);
        Assert.Equal("group", Assert.Throws<ArgumentException>(() => c.Barrier(ProcessGroup.World(3))).ParamName);
        Assert.Equal("worldRank", Assert.Throws<ArgumentException>(() => c.Barrier(new ProcessGroup(1, [1]))).ParamName);
        Assert.Equal("MaxMessageBytes", Assert.Throws<ArgumentException>(() =>
            new Communicator(InProcessTransport.Create(1)[0], new CollectiveOptions { MaxMessageBytes = 3 })).ParamName);
    }
}
