using Seaweed.Parallel.Transport;

namespace Seaweed.Grains.Training;

/// <summary>A rank's epoch: the mailbox its peers deliver into, its transport, its trainer, and the cancellation that
/// ends the epoch's work (also when the silo stops).</summary>
internal sealed class RankSession(int epoch, RankMailbox mailbox, CancellationTokenSource abort, GrainRankTransport transport)
{
    public int Epoch { get; } = epoch;
    public RankMailbox Mailbox { get; } = mailbox;
    public CancellationTokenSource Abort { get; } = abort;
    public GrainRankTransport Transport { get; } = transport;
    public IRankTrainer? Trainer { get; set; }
}
