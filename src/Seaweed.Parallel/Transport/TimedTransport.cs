using System.Diagnostics;

namespace Seaweed.Parallel.Transport;

/// <summary>
/// A transport that clocks how long its rank spends in <see cref="Send"/> and <see cref="Receive"/>: handing messages
/// over and waiting for peers, the share of a collective that depends on the transport (packing and summing are
/// not in it). Calls that overlap on several threads each count in full.
/// </summary>
public sealed class TimedTransport(IRankTransport inner) : IRankTransport
{
    private readonly IRankTransport inner = inner ?? throw new ArgumentNullException(nameof(inner));
    private long ticks;

    public int Rank => inner.Rank;
    public int WorldSize => inner.WorldSize;

    /// <summary>Seconds spent in the transport so far.</summary>
    public double Seconds => (double)Interlocked.Read(ref ticks) / Stopwatch.Frequency;

    public void Send(int to, MessageTag tag, byte[] payload)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            inner.Send(to, tag, payload);
        }
        finally
        {
            Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
        }
    }

    public byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        long start = Stopwatch.GetTimestamp();
        try
        {
            return inner.Receive(from, tag, timeout, cancellationToken);
        }
        finally
        {
            Interlocked.Add(ref ticks, Stopwatch.GetTimestamp() - start);
        }
    }
}
