using Orleans.Concurrency;
using Seaweed.Parallel.Transport;

namespace Seaweed.Grains.Training;

/// <summary>
/// Rank-to-rank delivery through grain calls: a send is a call to the peer's <see cref="IRankGrain.Deliver"/> with the
/// payload as <see cref="Immutable{T}"/> (no copy within a silo), a receive takes from this rank's mailbox. Sends
/// return once the call is made; at most <see cref="MaxInFlight"/> are outstanding. A failed send breaks the
/// transport: every later send or receive of the epoch fails with its reason instead of waiting out the timeout.
/// Aborting the epoch (<c>abort</c>) ends any wait, whatever token the caller passed. Counts what it carries.
/// </summary>
internal sealed class GrainRankTransport : IRankTransport
{
    public const int MaxInFlight = 4;

    private readonly IRankGrain[] peers;
    private readonly RankMailbox mailbox;
    private readonly int epoch;
    private readonly int maxMessageBytes;
    // Neither is disposed: a send's continuation may still touch them after the epoch is over.
    private readonly SemaphoreSlim inFlight = new(MaxInFlight);
    private readonly CancellationTokenSource broken;
    private Exception? failure;
    private long bytesSent, bytesReceived, messages;

    public GrainRankTransport(IGrainFactory grains, string runId, int rank, int worldSize, int epoch, RankMailbox mailbox, int maxMessageBytes, CancellationToken abort)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageBytes);
        broken = CancellationTokenSource.CreateLinkedTokenSource(abort);
        Rank = rank;
        this.epoch = epoch;
        this.mailbox = mailbox;
        this.maxMessageBytes = maxMessageBytes;
        peers = Enumerable.Range(0, worldSize).Select(r => grains.GetGrain<IRankGrain>(TrainingKeys.Rank(runId, r))).ToArray();
    }

    public int Rank { get; }
    public int WorldSize => peers.Length;

    public long BytesSent => Interlocked.Read(ref bytesSent);
    public long BytesReceived => Interlocked.Read(ref bytesReceived);
    public long Messages => Interlocked.Read(ref messages);

    public void Send(int to, MessageTag tag, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if ((uint)to >= (uint)peers.Length) throw new ArgumentOutOfRangeException(nameof(to), to, $"to must be a rank in [0, {peers.Length})");
        if (payload.Length > maxMessageBytes)
            throw new ArgumentException($"payload of {payload.Length} bytes is over the per-message budget of {maxMessageBytes}", nameof(payload));
        ThrowIfBroken();
        try
        {
            inFlight.Wait(broken.Token);
        }
        catch (OperationCanceledException)
        {
            ThrowIfBroken();
            throw;
        }
        Interlocked.Add(ref bytesSent, payload.Length);
        Interlocked.Increment(ref messages);
        peers[to].Deliver(epoch, Rank, tag.Group, tag.Sequence, tag.Part, new Immutable<byte[]>(payload))
            .ContinueWith(t =>
            {
                inFlight.Release();
                if (t.Exception is { } e) Break(to, e.InnerException ?? e);
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ThrowIfBroken();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, broken.Token);
        try
        {
            var payload = mailbox.Take(from, tag, timeout, linked.Token);
            Interlocked.Add(ref bytesReceived, payload.Length);
            return payload;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            ThrowIfBroken();
            throw;
        }
    }

    private void Break(int to, Exception e)
    {
        Interlocked.CompareExchange(ref failure, new RankUnreachableException($"rank {Rank} could not deliver to rank {to}: {e.Message}", e), null);
        broken.Cancel();
    }

    private void ThrowIfBroken()
    {
        if (Volatile.Read(ref failure) is { } e) throw new RankUnreachableException(e.Message, e.InnerException);
    }
}

/// <summary>A peer rank could not be reached: its silo died, or it moved on to another epoch.</summary>
public sealed class RankUnreachableException(string message, Exception? inner) : IOException(message, inner);
