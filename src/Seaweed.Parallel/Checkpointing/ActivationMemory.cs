namespace Seaweed.Parallel.Checkpointing;

/// <summary>Where saved activation bytes sit.</summary>
public enum MemoryTier { Device, Host, Disk }

/// <summary>Activation bytes per tier.</summary>
public sealed record ActivationBytes(long Device, long Host, long Disk);

/// <summary>
/// Bytes of saved activations held per tier, now and at peak (each tier's own maximum since the last
/// <see cref="ResetPeak"/>). Updated from the compute thread and the transfer thread.
/// </summary>
public sealed class ActivationMemory
{
    private readonly long[] current = new long[3];
    private readonly long[] peak = new long[3];
    private readonly Lock gate = new();

    public ActivationBytes Current { get { lock (gate) return new(current[0], current[1], current[2]); } }
    public ActivationBytes Peak { get { lock (gate) return new(peak[0], peak[1], peak[2]); } }

    /// <summary>Starts a new peak window at the current holdings (e.g. at the start of a step).</summary>
    public void ResetPeak()
    {
        lock (gate) Array.Copy(current, peak, 3);
    }

    internal void Add(MemoryTier tier, long bytes)
    {
        lock (gate)
        {
            int i = (int)tier;
            current[i] += bytes;
            peak[i] = Math.Max(peak[i], current[i]);
        }
    }
}
