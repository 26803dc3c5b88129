namespace Seaweed.Grains.Generation;

/// <summary>
/// What a job keeps across activations: its request, the rephrased caption and warnings, where it stands and, once
/// done, its artefacts. Written when it is queued, starts running, and finishes; the step count is not kept, since
/// a job taken up again starts its sampling over (the same seed gives the same video).
/// </summary>
[GenerateSerializer, Alias("seaweed.generation.job-state")]
public sealed class GenerationJobState
{
    [Id(0)] public GenerationRequest? Request { get; set; }
    [Id(1)] public GenerationPhase Phase { get; set; }
    [Id(2)] public GenerationStage Stage { get; set; }
    [Id(3)] public string? Caption { get; set; }
    [Id(4)] public List<string> Warnings { get; set; } = [];
    [Id(5)] public string? VideoKey { get; set; }
    [Id(6)] public string? FramesKey { get; set; }
    [Id(7)] public string? Error { get; set; }
    [Id(8)] public DateTimeOffset Created { get; set; }
    [Id(9)] public DateTimeOffset? Finished { get; set; }
    /// <summary>How many times a worker started the job: more than one means it was taken up again.</summary>
    [Id(10)] public int Attempts { get; set; }
    /// <summary>The silos a tiled decode's tiles ran on; null when decoded whole.</summary>
    [Id(11)] public List<string>? DecodedOn { get; set; }
}
