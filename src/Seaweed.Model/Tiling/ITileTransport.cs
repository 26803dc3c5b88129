namespace Seaweed.Model.Tiling;

/// <summary>One message between tiles: the exchange it belongs to (numbered alike on every tile) and its part.</summary>
public readonly record struct TileTag(long Sequence, int Part);

/// <summary>
/// Point-to-point delivery between the tiles of one decode, addressed by tile index. Calls block: tiles run on
/// worker threads, never on Orleans scheduler threads. Messages carry their tag, so delivery order does not matter.
/// </summary>
public interface ITileTransport
{
    /// <summary>Hands <paramref name="payload"/> to tile <paramref name="to"/> (which then owns it); may return before delivery.</summary>
    void Send(int to, TileTag tag, byte[] payload);

    /// <summary>
    /// Blocks until the payload tile <paramref name="from"/> sent under <paramref name="tag"/> arrives; past
    /// <paramref name="timeout"/> → <see cref="TimeoutException"/>, cancelled → <see cref="OperationCanceledException"/>.
    /// </summary>
    byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken);
}
