using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Stories;

/// <summary>One shot of a story: its generation job's status (null until it starts) and whether its result was
/// taken from an earlier run of the story rather than generated again.</summary>
[GenerateSerializer, Immutable, Alias("seaweed.story.shot-status")]
public sealed record ShotStatus(int Shot, GenerationStatus? Job, bool Reused);

[GenerateSerializer, Immutable, Alias("seaweed.story.status")]
public sealed record StoryStatus(
    string StoryId,
    GenerationPhase Phase,
    IReadOnlyList<ShotStatus> Shots,
    string? VideoKey,
    string? Error,
    DateTimeOffset Created,
    DateTimeOffset? Finished)
{
    public bool IsFinished => Phase is GenerationPhase.Succeeded or GenerationPhase.Failed or GenerationPhase.Cancelled;
}
