namespace Seaweed.Grains.Stories;

/// <summary>How often the story grains look at a generation job, and how long they wait before asking again after
/// a call that could not be answered (a dead silo, a full queue).</summary>
public sealed record StoryOptions
{
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);
    /// <summary>How often a watcher of a story looks at its running shots: each look is a call to each of them.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public StoryOptions Validate()
    {
        if (PollInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(PollInterval), PollInterval, "must be positive");
        if (WatchInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(WatchInterval), WatchInterval, "must be positive");
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "must be positive");
        return this;
    }

    /// <summary>A call that may succeed when made again: its silo died, it timed out, or the queue was full.</summary>
    public static bool IsTransient(Exception e) =>
        e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException or Generation.GenerationQueueFullException;
}
