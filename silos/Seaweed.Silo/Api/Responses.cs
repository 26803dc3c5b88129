using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;

namespace Seaweed.Silo.Api;

/// <summary>Where a job's status, progress events and (once it has succeeded) its video are.</summary>
public sealed record Links(string Self, string Events, string? Content);

/// <summary>A video job as the API shows it: the grain's status without store keys, plus links.</summary>
public sealed record VideoJob(
    string Id, GenerationPhase Phase, GenerationStage Stage, int Step, int Steps, string? Caption, IReadOnlyList<string> Warnings,
    string? Error, DateTimeOffset Created, DateTimeOffset? Finished, Links Links)
{
    public static VideoJob From(GenerationStatus s) => new(
        s.JobId, s.Phase, s.Stage, s.Step, s.Steps, s.Caption, s.Warnings, s.Error, s.Created, s.Finished,
        ApiRoutes.LinksFor(ApiRoutes.Videos, s.JobId, s.Phase == GenerationPhase.Succeeded && s.VideoKey is not null));
}

public sealed record StoryShot(int Shot, string? JobId, GenerationPhase? Phase, int Step, int Steps, bool Reused);

public sealed record StoryJob(
    string Id, GenerationPhase Phase, IReadOnlyList<StoryShot> Shots, string? Error, DateTimeOffset Created, DateTimeOffset? Finished, Links Links)
{
    public static StoryJob From(StoryStatus s) => new(
        s.StoryId, s.Phase,
        s.Shots.Select(shot => new StoryShot(shot.Shot, shot.Job?.JobId, shot.Job?.Phase, shot.Job?.Step ?? 0, shot.Job?.Steps ?? 0, shot.Reused)).ToArray(),
        s.Error, s.Created, s.Finished,
        ApiRoutes.LinksFor(ApiRoutes.Stories, s.StoryId, s.Phase == GenerationPhase.Succeeded && s.VideoKey is not null));
}
