using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Stories;

/// <summary>A shot's finished generation job, once it has one, whether it came from an earlier attempt, and why
/// the shot could not be generated if it could not.</summary>
[GenerateSerializer, Alias("seaweed.story.shot-record")]
public sealed class ShotRecord
{
    [Id(0)] public GenerationStatus? Job { get; set; }
    [Id(1)] public bool Reused { get; set; }
    [Id(2)] public string? Error { get; set; }

    public bool Succeeded => Job is { Phase: GenerationPhase.Succeeded };
}

[GenerateSerializer, Alias("seaweed.story.state")]
public sealed class StoryState
{
    [Id(0)] public StoryRequest? Request { get; set; }
    [Id(1)] public GenerationPhase Phase { get; set; }
    [Id(2)] public List<ShotRecord> Shots { get; set; } = [];
    [Id(3)] public string? VideoKey { get; set; }
    [Id(4)] public string? Error { get; set; }
    [Id(5)] public DateTimeOffset Created { get; set; }
    [Id(6)] public DateTimeOffset? Finished { get; set; }
}

/// <summary>A segment's request and, once it succeeded, its generation job's final status.</summary>
[GenerateSerializer, Alias("seaweed.story.segment-state")]
public sealed class StorySegmentState
{
    [Id(0)] public GenerationRequest? Request { get; set; }
    [Id(1)] public GenerationStatus? Job { get; set; }
}
