namespace Seaweed.Parallel.Collectives;

/// <summary>What one rank's collectives put on and took off the wire (payload bytes and messages). Thread-safe.</summary>
public sealed class TrafficCounters
{
    private long bytesSent, bytesReceived, messages, messagesReceived;

    public long BytesSent => Interlocked.Read(ref bytesSent);
    public long BytesReceived => Interlocked.Read(ref bytesReceived);

    /// <summary>Messages sent (one per part).</summary>
    public long Messages => Interlocked.Read(ref messages);
    public long MessagesReceived => Interlocked.Read(ref messagesReceived);

    public void Reset()
    {
        Interlocked.Exchange(ref bytesSent, 0);
        Interlocked.Exchange(ref bytesReceived, 0);
        Interlocked.Exchange(ref messages, 0);
        Interlocked.Exchange(ref messagesReceived, 0);
    }

    internal void Sent(int bytes)
    {
        Interlocked.Add(ref bytesSent, bytes);
        Interlocked.Increment(ref messages);
    }

    internal void Received(int bytes)
    {
        Interlocked.Add(ref bytesReceived, bytes);
        Interlocked.Increment(ref messagesReceived);
    }
}
