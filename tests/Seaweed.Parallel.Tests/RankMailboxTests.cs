using Seaweed.Parallel.Transport;

namespace Seaweed.Parallel.Tests;

public class RankMailboxTests
{
    private static readonly MessageTag Tag = new(1, 2, 3);

    [Fact]
    public void A_payload_delivered_before_the_take_is_kept_and_taken_once()
    {
        var box = new RankMailbox();
        box.Deliver(4, Tag, [1, 2]);
        box.Deliver(5, Tag, [3]);
        Assert.Equal(2, box.Pending);
        Assert.Equal([3], box.Take(5, Tag, TimeSpan.FromSeconds(1), default));
        Assert.Equal([1, 2], box.Take(4, Tag, TimeSpan.FromSeconds(1), default));
        Assert.Equal(0, box.Pending);
    }

    [Fact]
    public async Task A_take_waits_for_a_payload_delivered_later()
    {
        var box = new RankMailbox();
        var taking = Task.Factory.StartNew(() => box.Take(0, Tag, TimeSpan.FromSeconds(20), default), TaskCreationOptions.LongRunning);
        while (box.Pending == 0) Thread.Yield();
        box.Deliver(0, Tag, [9]);
        Assert.Equal([9], await taking);
        Assert.Equal(0, box.Pending);
    }

    [Fact]
    public void A_missing_payload_times_out_naming_the_peer_and_tag_and_leaves_nothing_behind()
    {
        var box = new RankMailbox();
        box.Deliver(0, Tag with { Part = 4 }, []);
        var error = Assert.Throws<CollectiveTimeoutException>(() => box.Take(0, Tag, TimeSpan.FromMilliseconds(50), default));
        Assert.Contains("rank 0", error.Message);
        Assert.Contains("Part = 3", error.Message);
        Assert.Equal(1, box.Pending);
    }

    [Fact]
    public void A_cancelled_take_throws_and_a_duplicate_tag_is_refused()
    {
        var box = new RankMailbox();
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => box.Take(0, Tag, TimeSpan.FromSeconds(5), cancel.Token));
        Assert.Equal(0, box.Pending);
        box.Deliver(0, Tag, []);
        Assert.Throws<InvalidOperationException>(() => box.Deliver(0, Tag, []));
    }

    [Fact]
    public void InProcessTransport_refuses_ranks_outside_the_world()
    {
        var t = InProcessTransport.Create(2)[1];
        Assert.Equal("to", Assert.Throws<ArgumentOutOfRangeException>(() => t.Send(2, Tag, [])).ParamName);
        Assert.Equal("worldSize", Assert.Throws<ArgumentOutOfRangeException>(() => InProcessTransport.Create(0)).ParamName);
    }
}
