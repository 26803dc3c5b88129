namespace Seaweed.Grains.Training;

/// <summary>
/// What a run keeps across activations. It is written when the group is assembled and at every committed checkpoint,
/// so <see cref="Step"/> and <see cref="History"/> never run ahead of the checkpoint a restart resumes from.
/// </summary>
[GenerateSerializer, Alias("seaweed.training.run-state")]
public sealed class TrainingRunState
{
    [Id(0)] public TrainingRunRequest? Request { get; set; }
    [Id(1)] public TrainingPhase Phase { get; set; }
    /// <summary>The last epoch begun: the next assembly takes a higher one, whichever activation makes it.</summary>
    [Id(2)] public int Epoch { get; set; }
    [Id(3)] public long Step { get; set; }
    [Id(4)] public long? CheckpointStep { get; set; }
    [Id(5)] public int Restarts { get; set; }
    [Id(6)] public List<StepRecord> History { get; set; } = [];
    [Id(7)] public List<ResumeRecord> Resumes { get; set; } = [];
    [Id(8)] public List<RankReady> Ranks { get; set; } = [];
    [Id(9)] public string? Error { get; set; }
}
