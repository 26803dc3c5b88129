using System.Runtime.CompilerServices;
using Seaweed.Grains;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;

namespace Seaweed.Silo.Tests.Fakes;

/// <summary>A story that is queued when started and stays so: enough to test the story routes apart from generation.</summary>
public sealed class FakeStoryGrain([PersistentState("story", SeaweedStorage.Name)] IPersistentState<FakeStoryGrain.State> story) : Grain, IStoryGrain
{
    [GenerateSerializer, Alias("seaweed.tests.fake-story")]
    public sealed class State
    {
        [Id(0)] public StoryRequest? Request { get; set; }
        [Id(1)] public StoryStatus? Status { get; set; }
    }

    public async Task<StoryStatus> Start(StoryRequest request)
    {
        if (story.State.Status is { } status) return status;
        story.State.Request = request;
        story.State.Status = new StoryStatus(this.GetPrimaryKeyString(), GenerationPhase.Queued,
            request.Shots.Select((_, i) => new ShotStatus(i, null, false)).ToArray(), null, null, DateTimeOffset.UtcNow, null);
        await story.WriteStateAsync();
        return story.State.Status;
    }

    public Task<StoryStatus> GetStatus() => Task.FromResult(story.State.Status ?? throw new GenerationNotFoundException(this.GetPrimaryKeyString()));

    public async Task<StoryStatus> Cancel()
    {
        var status = await GetStatus();
        story.State.Status = status with { Phase = GenerationPhase.Cancelled, Finished = DateTimeOffset.UtcNow };
        await story.WriteStateAsync();
        return story.State.Status;
    }

    public async IAsyncEnumerable<StoryStatus> Watch([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return await GetStatus();
    }
}
