using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;

namespace Seaweed.Grains.Training;

/// <summary>A rank's epoch: the mailbox its peers deliver into, its communicator, its trainer, and the cancellation
/// that ends the epoch's work (also when the silo stops).</summary>
internal sealed class RankSession(int epoch, RankMailbox mailbox, Communicator communicator, CancellationToken stopping)
{
    public int Epoch { get; } = epoch;
    public RankMailbox Mailbox { get; } = mailbox;
    public Communicator Communicator { get; } = communicator;
    public CancellationTokenSource Abort { get; } = CancellationTokenSource.CreateLinkedTokenSource(stopping);
    public IRankTrainer? Trainer { get; set; }
}
