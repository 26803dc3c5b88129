using Seaweed.Grains.Training;
using Seaweed.Training.Checkpoints;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// Another trainer whose ranks all stop before step <paramref name="holdAt"/> until <see cref="Open"/> (the first pass
/// only), so that a test can break the run at a known point.
/// </summary>
internal sealed class HeldTrainer(IRankTrainerFactory inner, long holdAt, int ranks) : IRankTrainerFactory
{
    private readonly ManualResetEventSlim gate = new(false);

    public long HoldAt { get; } = holdAt;

    /// <summary>Counts down as ranks reach the hold.</summary>
    public CountdownEvent Held { get; } = new(ranks);

    public void Open() => gate.Set();

    public IRankTrainer Create(RankContext context) => new Rank(inner.Create(context), this);

    private sealed class Rank(IRankTrainer trainer, HeldTrainer factory) : IRankTrainer
    {
        public RankStepMetrics Step(long step, CancellationToken cancellationToken)
        {
            if (step == factory.HoldAt && !factory.gate.IsSet)
            {
                factory.Held.Signal();
                factory.gate.Wait(cancellationToken);
            }
            return trainer.Step(step, cancellationToken);
        }

        public RankSnapshot Snapshot() => trainer.Snapshot();

        public void Restore(RankSnapshot snapshot) => trainer.Restore(snapshot);

        public void Dispose() => trainer.Dispose();
    }
}
