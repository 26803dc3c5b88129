using System.Diagnostics;
using Seaweed.Parallel.Transport;

namespace Seaweed.Parallel.Tests;

public class TimedTransportTests
{
    private static readonly MessageTag Tag = new(1, 2, 3);

    [Fact]
    public async Task It_passes_messages_through_and_counts_the_time_a_receive_waits()
    {
        var ranks = InProcessTransport.Create(2);
        var timed = new TimedTransport(ranks[1]);
        Assert.Equal((1, 2), (timed.Rank, timed.WorldSize));
        var watch = Stopwatch.StartNew();
        var receiving = Task.Factory.StartNew(() => timed.Receive(0, Tag, TimeSpan.FromSeconds(20)), TaskCreationOptions.LongRunning);
        while (ranks[1].Mailbox.Pending == 0) Thread.Yield();
        Thread.Sleep(50);
        ranks[0].Send(1, Tag, [7]);
        Assert.Equal([7], await receiving);
        // The receive waited at least the 50 ms before the send, and no longer than the test ran.
        Assert.InRange(timed.Seconds, 0.05, watch.Elapsed.TotalSeconds);

        double afterReceive = timed.Seconds;
        timed.Send(0, Tag, [8]);
        Assert.Equal([8], ranks[0].Receive(1, Tag, TimeSpan.FromSeconds(1)));
        Assert.True(timed.Seconds > afterReceive);
    }
}
