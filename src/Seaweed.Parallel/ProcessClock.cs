using System.Diagnostics;

namespace Seaweed.Parallel;

/// <summary>
/// The clocks steps are timed with: elapsed time, and the CPU time of this process (all its threads), which other
/// load on a shared machine disturbs less than it does elapsed time.
/// </summary>
public static class ProcessClock
{
    public static TimeSpan Wall => Stopwatch.GetElapsedTime(0);

    public static TimeSpan Cpu
    {
        get
        {
            using var self = Process.GetCurrentProcess();
            return self.TotalProcessorTime;
        }
    }

    /// <summary>Elapsed and process CPU time of <paramref name="work"/>.</summary>
    public static (TimeSpan Wall, TimeSpan Cpu) Time(Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var (wall, cpu) = (Wall, Cpu);
        work();
        return (Wall - wall, Cpu - cpu);
    }
}
