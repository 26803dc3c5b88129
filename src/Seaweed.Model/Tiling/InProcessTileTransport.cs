namespace Seaweed.Model.Tiling;

/// <summary>Tiles as threads of one process: a send drops the payload straight into the receiver's mailbox.</summary>
public sealed class InProcessTileTransport : ITileTransport
{
    private readonly TileMailbox[] mailboxes;
    private readonly int tile;

    private InProcessTileTransport(int tile, TileMailbox[] mailboxes)
    {
        this.tile = tile;
        this.mailboxes = mailboxes;
    }

    /// <summary>One connected transport per tile, index = tile.</summary>
    public static InProcessTileTransport[] Create(int tiles)
    {
        if (tiles < 1) throw new ArgumentOutOfRangeException(nameof(tiles), tiles, "tiles must be at least 1");
        var mailboxes = Enumerable.Range(0, tiles).Select(_ => new TileMailbox()).ToArray();
        return Enumerable.Range(0, tiles).Select(t => new InProcessTileTransport(t, mailboxes)).ToArray();
    }

    public void Send(int to, TileTag tag, byte[] payload) => mailboxes[Check(to, nameof(to))].Deliver(tile, tag, payload);

    public byte[] Receive(int from, TileTag tag, TimeSpan timeout, CancellationToken cancellationToken) =>
        mailboxes[tile].Take(Check(from, nameof(from)), tag, timeout, cancellationToken);

    private int Check(int other, string name) =>
        (uint)other < (uint)mailboxes.Length ? other : throw new ArgumentOutOfRangeException(name, other, $"{name} must be a tile in [0, {mailboxes.Length})");
}
