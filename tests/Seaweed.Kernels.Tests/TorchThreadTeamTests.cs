using System.Collections.Concurrent;

namespace Seaweed.Kernels.Tests;

public class TorchThreadTeamTests
{
    [Fact]
    public void Every_part_runs_once_and_on_libtorchs_threads()
    {
        Assert.True(TorchThreadTeam.Threads >= 2, $"libtorch runs {TorchThreadTeam.Threads} intra-op thread(s) here: the team is not entered");
        var calls = new ConcurrentBag<(int Part, int Thread)>();
        TorchThreadTeam.Run(7, part => calls.Add((part, Environment.CurrentManagedThreadId)));
        Assert.Equal(Enumerable.Range(0, 7), calls.Select(c => c.Part).Order());
        Assert.True(calls.Select(c => c.Thread).Distinct().Count() >= 2, "all parts ran on one thread");
        Assert.Contains(calls, c => c.Thread == Environment.CurrentManagedThreadId);
    }

    [Fact]
    public void An_exception_on_a_team_thread_reaches_the_caller()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TorchThreadTeam.Run(2, part =>
        {
            if (part == 1) throw new InvalidOperationException("part 1");
        }));
        Assert.Equal("part 1", error.Message);
        int sum = 0;
        TorchThreadTeam.Run(2, part => Interlocked.Add(ref sum, part + 1)); // the team still works afterwards
        Assert.Equal(3, sum);
    }
}
