namespace Seaweed.Parallel.Collectives;

/// <summary>How a <see cref="Communicator"/> cuts and waits for its messages.</summary>
public sealed record CollectiveOptions
{
    /// <summary>No payload is larger than this; logical messages are split into parts (Orleans caps messages at 100 MB).</summary>
    public int MaxMessageBytes { get; init; } = 16 << 20;

    /// <summary>How long one receive waits for a peer before the collective fails with a <c>CollectiveTimeoutException</c>.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(2);

    internal CollectiveOptions Validated()
    {
        if (MaxMessageBytes < sizeof(float))
            throw new ArgumentException($"MaxMessageBytes must hold at least one float32, not {MaxMessageBytes}", nameof(MaxMessageBytes));
        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
            throw new ArgumentException($"Timeout must be positive, not {Timeout}", nameof(Timeout));
        return this;
    }
}
