using Seaweed.Training;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Ranks;

namespace Seaweed.Grains.Training;

/// <summary>
/// The training recipe's <see cref="RankTrainer"/> as a rank grain's trainer (runs named
/// <see cref="TrainingRunRequest.RecipeTrainer"/>): the DiT on the configured data, FSDP, Ulysses and activation
/// checkpointing as the config says, on the rank's device. It makes its own communicator over the rank's transport,
/// with the request's collective options. Tokens and samples are reported by one rank per data rank, so their sum over the ranks is the
/// global batch's.
/// </summary>
public sealed class RecipeTrainer : IRankTrainerFactory
{
    public IRankTrainer Create(RankContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var config = TrainingConfig.FromJson(context.Config, context.BaseDirectory);
        return new Rank(RankTrainer.CreateAsync(config, context.Rank, context.Transport, context.Store, collectives: context.Collectives, device: context.Device).GetAwaiter().GetResult());
    }

    private sealed class Rank(RankTrainer trainer) : IRankTrainer
    {
        public RankStepMetrics Step(long step, CancellationToken cancellationToken)
        {
            if (step != trainer.CompletedSteps) throw new InvalidOperationException($"rank {trainer.Rank} is at step {trainer.CompletedSteps}, asked for step {step}");
            cancellationToken.ThrowIfCancellationRequested();
            var m = trainer.Step();
            return trainer.IsContextLead ? new RankStepMetrics(m.Loss, m.RankTokens, m.RankSamples) : new RankStepMetrics(m.Loss, 0, 0);
        }

        public RankSnapshot Snapshot() => trainer.Snapshot();

        public void Restore(RankSnapshot snapshot) => trainer.Restore(snapshot);

        public void Dispose() => trainer.Dispose();
    }
}
