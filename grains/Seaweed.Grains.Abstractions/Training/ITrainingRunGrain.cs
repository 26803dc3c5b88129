namespace Seaweed.Grains.Training;

/// <summary>
/// Drives one training run (key: run id): assembles the rank group on free devices, tells every rank to take each
/// step, commits a checkpoint every N steps, and on a rank failure (its silo died, a call failed or went silent)
/// restarts the group from the last committed checkpoint. Its state is persisted, so a run outlives its silo.
/// </summary>
public interface ITrainingRunGrain : IGrainWithStringKey
{
    /// <summary>Starts the run, or resumes it where its last checkpoint left it; a second call with the same request
    /// returns the progress and changes nothing, one with another request is refused.</summary>
    Task<TrainingProgress> Start(TrainingRunRequest request);

    Task<TrainingProgress> GetProgress();

    /// <summary>Every step taken, in order (a restart replaces the steps redone since its checkpoint).</summary>
    Task<IReadOnlyList<StepRecord>> GetHistory();
}
