namespace Seaweed.Grains.Stories;

/// <summary>How often a story's watcher looks at its running shots, and how long the story grains wait before asking
/// again after a call that could not be answered (a dead silo, a full queue).</summary>
public sealed record StoryOptions
{
    /// <summary>How often a watcher of a story looks at its running shots: each look is a call to each of them.</summary>
    public TimeSpan WatchInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(1);

    public StoryOptions Validate()
    {
        if (WatchInterval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(WatchInterval), WatchInterval, "must be positive");
        if (RetryDelay <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "must be positive");
        return this;
    }

    /// <summary>Makes <paramref name="call"/> until it is answered, waiting <see cref="RetryDelay"/> after each
    /// <see cref="IsTransient"/> failure; any other failure is the caller's.</summary>
    public async Task<T> UntilAnswered<T>(Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e))
            {
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    /// <summary>A call that may succeed when made again: its silo died (under a watch too: the enumeration is
    /// aborted), it timed out, or the queue was full.</summary>
    public static bool IsTransient(Exception e) =>
        e is SiloUnavailableException or TimeoutException or OrleansMessageRejectionException or EnumerationAbortedException
            or Generation.GenerationQueueFullException;
}
