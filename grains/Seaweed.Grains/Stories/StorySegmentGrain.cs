using Orleans.Concurrency;
using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Stories;

/// <summary>
/// One shot of a story: submits its generation job (<see cref="StoryKeys.Job"/>, so asking again reaches the same
/// job), follows the statuses the job pushes (<see cref="IGenerationGrain.Watch"/>) to the end, and persists the
/// result. Reentrant, so a call made again after a timeout waits on the same job rather than queueing behind it.
/// </summary>
[Reentrant]
public sealed class StorySegmentGrain(
    [PersistentState("story-segment", SeaweedStorage.Name)] IPersistentState<StorySegmentState> segment,
    StoryOptions options) : Grain, IStorySegmentGrain
{
    private Task<ShotStatus>? running;

    private string Key => this.GetPrimaryKeyString();

    public async Task<ShotStatus> Run(GenerationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (segment.State.Request is { } stored && stored != request) throw new GenerationConflictException(Key);
        if (segment.State.Job is { Phase: GenerationPhase.Succeeded } done) return Shot(done, reused: true);
        var run = running ??= Generate(request);
        try
        {
            return await run;
        }
        finally
        {
            // A job that did not succeed may be asked for again; a succeeded one is answered from the state. A call
            // made again meanwhile shares the same run, and the first of them to finish clears it.
            if (ReferenceEquals(running, run) && run.IsCompleted) running = null;
        }
    }

    private async Task<ShotStatus> Generate(GenerationRequest request)
    {
        if (segment.State.Request is null)
        {
            segment.State.Request = request;
            await segment.WriteStateAsync();
        }
        var (story, shot) = StoryKeys.ParseShot(Key);
        var job = GrainFactory.GetGrain<IGenerationGrain>(StoryKeys.Job(story, shot));
        var status = await options.UntilAnswered(() => job.Submit(request));
        // A job already finished was run by an earlier attempt at this shot.
        bool reused = status.IsFinished;
        while (!status.IsFinished)
        {
            try
            {
                await foreach (var next in job.Watch()) status = next;
            }
            catch (Exception e) when (StoryOptions.IsTransient(e))
            {
                // The job's silo died under the watch: submitting the same request again takes the job up on another
                // silo (or answers that it has finished meanwhile), and the new activation is watched in turn.
                await Task.Delay(options.RetryDelay);
                status = await options.UntilAnswered(() => job.Submit(request));
            }
        }
        if (status.Phase == GenerationPhase.Succeeded)
        {
            segment.State.Job = status;
            await segment.WriteStateAsync();
        }
        return Shot(status, reused);
    }

    private ShotStatus Shot(GenerationStatus job, bool reused) => new(StoryKeys.ParseShot(Key).Shot, job, reused);
}
