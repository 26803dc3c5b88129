using Seaweed.Data;
using Seaweed.Data.Stories;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Stories;

public sealed class StoryClusterFixture : IAsyncLifetime
{
    public StoryCluster Cluster { get; private set; } = null!;
    public async Task InitializeAsync() => Cluster = await StoryCluster.StartAsync(3);
    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Stories on three silos of a tiny random model: the schedule, the join, continuity, and bad input.</summary>
public sealed class StoryGrainTests(StoryClusterFixture fixture, ITestOutputHelper output) : IClassFixture<StoryClusterFixture>
{
    private const string Cast = "a small red circle and a large blue square on a grey background";
    private StoryCluster Cluster => fixture.Cluster;

    private static ShotRequest Cut(string prompt, int frames = 9) => new(prompt, frames, ShotTransition.Cut);
    private static ShotRequest Continue(string prompt, int frames = 9) => new(prompt, frames, ShotTransition.Continue);

    /// <summary>
    /// The model threads' start and end of each cut shot, as its job reports them (first seen running, first seen
    /// finished): the two cuts run at the same time. The continuation is submitted only once the shot it continues
    /// has finished, by the jobs' own clocks.
    /// </summary>
    [Fact]
    public async Task Cut_shots_run_at_once_and_a_continuation_waits_for_the_shot_it_continues()
    {
        var request = StoryCluster.Request(Cast, Cut("the red circle moves to the right"), Continue("the red circle rises"), Cut("the blue square shrinks"))
            with { Steps = 12 };
        var seen = new Dictionary<int, (DateTime? Running, DateTime? Finished)> { [0] = default, [2] = default };
        await Cluster.Grains.GetGrain<IStoryGrain>("concurrent").Start(request);
        while (seen.Values.Any(s => s.Finished is null))
        {
            foreach (int shot in seen.Keys)
            {
                if (seen[shot].Finished is not null) continue;
                GenerationStatus job;
                try { job = await Cluster.Grains.GetGrain<IGenerationGrain>(StoryKeys.Job("concurrent", shot)).GetStatus(); }
                catch (GenerationNotFoundException) { continue; }
                var now = DateTime.UtcNow;
                if (job.Phase == GenerationPhase.Running && seen[shot].Running is null) seen[shot] = (now, null);
                if (job.IsFinished) seen[shot] = (seen[shot].Running ?? now, now);
            }
            await Task.Delay(20); // leave the cores to the model threads being watched
        }
        var story = await Cluster.FinishedAsync("concurrent");
        Assert.Equal(GenerationPhase.Succeeded, story.Phase);
        foreach (var (shot, (running, finished)) in seen) output.WriteLine($"shot {shot}: running from {running:HH:mm:ss.fff} to {finished:HH:mm:ss.fff}");
        var (a, b) = (seen[0], seen[2]);
        Assert.True(a.Running < b.Finished && b.Running < a.Finished, "the two cut shots did not run at the same time");

        var (first, continued) = (story.Shots[0].Job!, story.Shots[1].Job!);
        output.WriteLine($"shot 0 finished {first.Finished:HH:mm:ss.fff}, shot 1 submitted {continued.Created:HH:mm:ss.fff}");
        Assert.True(continued.Created >= first.Finished, "the continuation was submitted before the shot it continues had finished");
        Assert.All(story.Shots, s => Assert.False(s.Reused));
    }

    /// <summary>
    /// The story video is the shots back to back, a continuation from its first new frame (its first 5 frames
    /// re-create the last 5 of the shot before). A continuation is conditioned on exactly the previous shot's frames:
    /// another first shot changes it, while a cut is the same whatever came before; a generation of its own caption
    /// on the first shot's frames is it, bit for bit. The jumps at the joins are measured against the steps inside
    /// the shots: a random model has learned no motion, so they are printed, not held to a bound.
    /// </summary>
    [Fact]
    public async Task A_continuation_is_conditioned_on_the_shot_before_it_and_the_story_joins_the_shots()
    {
        var a = await Cluster.RunAsync("joined-a", StoryCluster.Request(Cast,
            Cut("the red circle moves to the right"), Continue("the red circle rises"), Cut("the blue square shrinks")));
        var b = await Cluster.RunAsync("joined-b", StoryCluster.Request(Cast,
            Cut("the red circle moves to the left"), Continue("the red circle rises"), Cut("the blue square shrinks")));
        Assert.Equal(GenerationPhase.Succeeded, a.Phase);
        Assert.Equal(GenerationPhase.Succeeded, b.Phase);
        var (framesA, framesB) = (await Frames(a), await Frames(b));
        Assert.NotEqual(framesA[0].Data, framesB[0].Data);
        Assert.NotEqual(framesA[1].Data, framesB[1].Data);
        Assert.Equal(framesA[2].Data, framesB[2].Data);

        var direct = GrainFactoryJob("joined-a-direct");
        var caption = ShotCaption.Compose(Cast, "the red circle rises").Text;
        await direct.Submit(new GenerationRequest(caption, 9, 32, 32, 2, 3, Seed: 5 + 1, VideoKey: a.Shots[0].Job!.FramesKey));
        var alone = await WaitAsync(direct);
        Assert.Equal(framesA[1].Data, FrameArchive.Decode(await Cluster.Store.ReadAllBytesAsync(alone.FramesKey!), alone.FramesKey!).Data);

        var joined = StoryJoin.Join(framesA, [0, 5, 0]);
        Assert.Equal(9 + 4 + 9, joined.FrameCount);
        var continuation = Continuity.AtJoin(joined, 0, 9, 13);
        var cut = Continuity.AtJoin(joined, 9, 13, 22);
        output.WriteLine($"continue join: boundary {continuation.Boundary:F2}, within shots mean {continuation.WithinMean:F2}, max {continuation.WithinMax:F2}");
        output.WriteLine($"cut join:      boundary {cut.Boundary:F2}, within shots mean {cut.WithinMean:F2}, max {cut.WithinMax:F2}");

        Assert.Equal(StoryKeys.Video("joined-a", Path.GetExtension(a.VideoKey!)), a.VideoKey);
        var video = new VideoIO();
        if (a.VideoKey!.EndsWith(".mp4", StringComparison.Ordinal) && video.Ffmpeg.IsAvailable)
        {
            string file = Path.Combine(Cluster.Root, "joined-a.mp4");
            await File.WriteAllBytesAsync(file, await Cluster.Store.ReadAllBytesAsync(a.VideoKey));
            Assert.Equal(joined.FrameCount, (await video.ReadAsync(file)).FrameCount);
        }
    }

    public static TheoryData<string, Func<StoryRequest, StoryRequest>> BadRequests => new()
    {
        { "description", r => r with { Description = " " } },
        { "shots", r => r with { Shots = [] } },
        { "shots[0].transition", r => r with { Shots = [Continue("the red circle rises")] } },
        { "shots[1].frames", r => r with { Shots = [r.Shots[0], Continue("the red circle rises", 8)] } },
        { "shots[1].frames", r => r with { Shots = [r.Shots[0], Cut("the red circle rises", 0)] } },
        { "shots[0].prompt", r => r with { Shots = [Cut("a pink cross, a red circle and a blue square")] } },
        { "size.width", r => r with { Width = 40 } },
        { "steps", r => r with { Steps = 0 } },
        { "guidance", r => r with { Guidance = double.NaN } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_is_stored(string field, Func<StoryRequest, StoryRequest> change)
    {
        var grain = Cluster.Grains.GetGrain<IStoryGrain>($"bad-{Guid.NewGuid():N}");
        var request = change(StoryCluster.Request(Cast, Cut("the red circle moves to the right")));
        var e = await Assert.ThrowsAsync<GenerationInputException>(() => grain.Start(request));
        Assert.Equal(field, e.Field);
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => grain.GetStatus());
    }

    [Fact]
    public async Task Starting_again_changes_nothing_and_another_request_under_the_id_is_a_conflict()
    {
        var request = StoryCluster.Request(Cast, Cut("the blue square slides left"), Continue("the blue square falls"));
        var done = await Cluster.RunAsync("again", request);
        Assert.Equal(GenerationPhase.Succeeded, done.Phase);
        var again = await Cluster.Grains.GetGrain<IStoryGrain>("again").Start(request with { Shots = [.. request.Shots] });
        Assert.Equal((done.Phase, done.VideoKey, done.Finished), (again.Phase, again.VideoKey, again.Finished));
        Assert.Equal(1, await Cluster.RunsOf("again", 0));
        Assert.Equal(1, await Cluster.RunsOf("again", 1));
        await Assert.ThrowsAsync<GenerationConflictException>(() => Cluster.Grains.GetGrain<IStoryGrain>("again").Start(request with { Seed = 6 }));
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => Cluster.Grains.GetGrain<IStoryGrain>("never-started").GetStatus());
    }

    [Fact]
    public async Task Cancelling_a_story_cancels_its_running_shots_and_the_shots_after_them_never_start()
    {
        var story = Cluster.Grains.GetGrain<IStoryGrain>("cancelled");
        await story.Start(StoryCluster.Request(Cast, Cut("the red circle moves to the right"), Continue("the red circle rises")) with { Steps = 200 });
        await foreach (var s in story.Watch())
            if (s.Shots[0].Job is { Phase: GenerationPhase.Running, Step: >= 1 }) break;
        var cancelled = await story.Cancel();
        Assert.Equal(GenerationPhase.Cancelled, cancelled.Phase);
        Assert.Equal(GenerationPhase.Cancelled, (await GrainFactoryJob(StoryKeys.Job("cancelled", 0)).GetStatus()).Phase);
        // Once the story has recorded shot 0's (cancelled) result its chain has ended: shot 1 is never submitted.
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await Cluster.RecordedJob("cancelled", 0) is not { Phase: GenerationPhase.Cancelled })
        {
            Assert.True(DateTime.UtcNow < deadline, "the story never recorded its cancelled shot");
            await Task.Delay(20);
        }
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => GrainFactoryJob(StoryKeys.Job("cancelled", 1)).GetStatus());
        Assert.Equal(GenerationPhase.Cancelled, (await story.GetStatus()).Phase);
    }

    /// <summary>A story that asks its segment again (after a timeout or a dead silo) while the first call is still
    /// waiting: both calls follow the one job, and both get its result.</summary>
    [Fact]
    public async Task A_segment_asked_twice_at_once_answers_both_calls_from_one_job()
    {
        var segment = Cluster.Grains.GetGrain<IStorySegmentGrain>(StoryKeys.Shot("asked-twice", 0));
        var request = new GenerationRequest(ShotCaption.Compose(Cast, "the red circle rises").Text, 9, 32, 32, 2, 3, Seed: 5);
        var both = await Task.WhenAll(segment.Run(request), segment.Run(request));
        Assert.All(both, s => Assert.Equal(GenerationPhase.Succeeded, s.Job?.Phase));
        Assert.Equal(both[0].Job!.FramesKey, both[1].Job!.FramesKey);
        Assert.Equal(1, await Cluster.RunsOf("asked-twice", 0));
    }

    /// <summary>A shot of many steps is followed by what its job pushes: the segment submits once and watches the job
    /// to its end, never asking for its status again, and gets the job's result.</summary>
    [Fact]
    public async Task A_segment_follows_its_job_by_one_watch_not_by_asking_again()
    {
        var segment = Cluster.Grains.GetGrain<IStorySegmentGrain>(StoryKeys.Shot("pushed", 0));
        var request = new GenerationRequest(ShotCaption.Compose(Cast, "the red circle rises").Text, 9, 32, 32, 12, 3, Seed: 5);
        var shot = await segment.Run(request);
        Assert.Equal(GenerationPhase.Succeeded, shot.Job?.Phase);
        Assert.Equal(12, shot.Job!.Step);
        var calls = Cluster.Calls[StoryKeys.Job("pushed", 0)];
        Assert.StartsWith("IGenerationGrain.Submit", Assert.Single(calls, c => c.StartsWith("IGenerationGrain.", StringComparison.Ordinal)));
        Assert.Single(calls, c => c.StartsWith("IAsyncEnumerableGrainExtension.StartEnumeration", StringComparison.Ordinal));
        Assert.Equal(1, await Cluster.RunsOf("pushed", 0));
    }

    private IGenerationGrain GrainFactoryJob(string id) => Cluster.Grains.GetGrain<IGenerationGrain>(id);

    private static async Task<GenerationStatus> WaitAsync(IGenerationGrain job)
    {
        while (true)
        {
            var status = await job.GetStatus();
            if (status.IsFinished) return status;
            await Task.Delay(20);
        }
    }

    private async Task<VideoFrames[]> Frames(StoryStatus story) =>
        await Task.WhenAll(story.Shots.Select(async s => FrameArchive.Decode(await Cluster.Store.ReadAllBytesAsync(s.Job!.FramesKey!), s.Job.FramesKey!)));
}
