namespace Seaweed.Parallel.Transport;

/// <summary>One message of one collective: the group it belongs to, that group's collective number, and the part.</summary>
public readonly record struct MessageTag(int Group, long Sequence, int Part);

/// <summary>
/// Point-to-point delivery between the ranks of one run, addressed by world rank. Calls block: they are made on
/// device worker threads, never on Orleans scheduler threads. Messages carry their tag, so delivery order between
/// two ranks does not matter.
/// </summary>
public interface IRankTransport
{
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>
    /// Hands <paramref name="payload"/> to rank <paramref name="to"/>; may return before it is delivered. The array
    /// passes to the receiver, which may write into it (ring collectives sum into received chunks): the sender must
    /// not touch it again, and a transport may deliver that very array instead of a copy.
    /// </summary>
    void Send(int to, MessageTag tag, byte[] payload);

    /// <summary>
    /// Blocks until the payload that rank <paramref name="from"/> sent under <paramref name="tag"/> arrives. Past
    /// <paramref name="timeout"/> → <see cref="CollectiveTimeoutException"/>; cancelled → <see cref="OperationCanceledException"/>.
    /// </summary>
    byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default);
}

/// <summary>A peer did not deliver in time: it died, or it is not taking part in the same collective.</summary>
public sealed class CollectiveTimeoutException(string message) : TimeoutException(message);
