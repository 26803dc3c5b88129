namespace Seaweed.Parallel.Transport;

/// <summary>Ranks as threads of one process: a send drops the payload straight into the receiver's mailbox.</summary>
public sealed class InProcessTransport : IRankTransport
{
    private readonly RankMailbox[] mailboxes;

    private InProcessTransport(int rank, RankMailbox[] mailboxes)
    {
        Rank = rank;
        this.mailboxes = mailboxes;
    }

    public int Rank { get; }
    public int WorldSize => mailboxes.Length;

    /// <summary>The mailbox of this rank (what has arrived and not yet been received).</summary>
    public RankMailbox Mailbox => mailboxes[Rank];

    /// <summary>One connected transport per rank, index = rank.</summary>
    public static InProcessTransport[] Create(int worldSize)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "worldSize must be at least 1");
        var mailboxes = Enumerable.Range(0, worldSize).Select(_ => new RankMailbox()).ToArray();
        return Enumerable.Range(0, worldSize).Select(r => new InProcessTransport(r, mailboxes)).ToArray();
    }

    public void Send(int to, MessageTag tag, byte[] payload) => mailboxes[CheckRank(to, nameof(to))].Deliver(Rank, tag, payload);

    public byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default) =>
        Mailbox.Take(CheckRank(from, nameof(from)), tag, timeout, cancellationToken);

    private int CheckRank(int rank, string name) =>
        rank >= 0 && rank < WorldSize ? rank : throw new ArgumentOutOfRangeException(name, rank, $"{name} must be a rank in [0, {WorldSize})");
}
