using Seaweed.Grains.Training;
using Seaweed.Training.Checkpoints;

namespace Seaweed.Grains.Tests.Training;

/// <summary>The linear trainer, except that rank 1's snapshots claim one image more than it drew.</summary>
internal sealed class SkewedCursorTrainer : IRankTrainerFactory
{
    private readonly LinearTrainer inner = new();

    public IRankTrainer Create(RankContext context) => new Rank(inner.Create(context), context.Rank);

    private sealed class Rank(IRankTrainer trainer, int rank) : IRankTrainer
    {
        public RankStepMetrics Step(long step, CancellationToken cancellationToken) => trainer.Step(step, cancellationToken);

        public RankSnapshot Snapshot()
        {
            var snapshot = trainer.Snapshot();
            return rank == 1 ? snapshot with { Cursor = snapshot.Cursor.Advance(1, 0) } : snapshot;
        }

        public void Restore(RankSnapshot snapshot) => trainer.Restore(snapshot);

        public void Dispose() => trainer.Dispose();
    }
}
