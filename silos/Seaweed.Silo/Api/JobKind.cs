using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;

namespace Seaweed.Silo.Api;

/// <summary>What the job routes need from one kind of job (a video, a story): its grain's status, cancel and watch,
/// the view the API returns, and the video it has once it succeeded.</summary>
internal abstract class JobKind<TStatus, TView>
{
    public abstract Task<TStatus> Status(IGrainFactory grains, string id);
    public abstract Task<TStatus> Cancel(IGrainFactory grains, string id);
    public abstract IAsyncEnumerable<TStatus> Watch(IGrainFactory grains, string id, CancellationToken cancellationToken);
    public abstract TView View(TStatus status);
    public abstract (GenerationPhase Phase, string? VideoKey) Outcome(TStatus status);
}

internal sealed class VideoJobs : JobKind<GenerationStatus, VideoJob>
{
    public static readonly VideoJobs Instance = new();

    public override Task<GenerationStatus> Status(IGrainFactory grains, string id) => grains.GetGrain<IGenerationGrain>(id).GetStatus();
    public override Task<GenerationStatus> Cancel(IGrainFactory grains, string id) => grains.GetGrain<IGenerationGrain>(id).Cancel();
    public override IAsyncEnumerable<GenerationStatus> Watch(IGrainFactory grains, string id, CancellationToken cancellationToken) =>
        grains.GetGrain<IGenerationGrain>(id).Watch(cancellationToken);
    public override VideoJob View(GenerationStatus status) => VideoJob.From(status);
    public override (GenerationPhase, string?) Outcome(GenerationStatus status) => (status.Phase, status.VideoKey);
}

internal sealed class StoryJobs : JobKind<StoryStatus, StoryJob>
{
    public static readonly StoryJobs Instance = new();

    public override Task<StoryStatus> Status(IGrainFactory grains, string id) => grains.GetGrain<IStoryGrain>(id).GetStatus();
    public override Task<StoryStatus> Cancel(IGrainFactory grains, string id) => grains.GetGrain<IStoryGrain>(id).Cancel();
    public override IAsyncEnumerable<StoryStatus> Watch(IGrainFactory grains, string id, CancellationToken cancellationToken) =>
        grains.GetGrain<IStoryGrain>(id).Watch(cancellationToken);
    public override StoryJob View(StoryStatus status) => StoryJob.From(status);
    public override (GenerationPhase, string?) Outcome(StoryStatus status) => (status.Phase, status.VideoKey);
}
