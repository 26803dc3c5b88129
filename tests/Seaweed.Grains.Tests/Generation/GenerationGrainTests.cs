using Seaweed.Data;
using Seaweed.Data.Prompts;
using Seaweed.Data.Store;
using Seaweed.Data.Video;
using Seaweed.Grains.Generation;

namespace Seaweed.Grains.Tests.Generation;

public sealed class GenerationFixture : IAsyncLifetime
{
    public GenerationCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await GenerationCluster.StartAsync(1);

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

/// <summary>Generation jobs on one silo with a tiny random model, two Euler steps (three where steps are counted).</summary>
public sealed class GenerationGrainTests(GenerationFixture fixture) : IClassFixture<GenerationFixture>
{
    private GenerationCluster Cluster => fixture.Cluster;
    private IGenerationGrain Job(string id) => Cluster.Grains.GetGrain<IGenerationGrain>(id);

    [Fact]
    public async Task A_job_runs_to_a_stored_video_and_its_lossless_frames_reporting_every_step()
    {
        var request = GenerationCluster.Request(steps: 3);
        var queued = await Job("t2v").Submit(request);
        Assert.Equal((GenerationPhase.Queued, 3), (queued.Phase, queued.Steps));
        Assert.Equal(PromptRephraser.Rephrase(request.Prompt).Caption, queued.Caption);
        Assert.Equal("red circle moves to the left", queued.Caption);

        var seen = await Cluster.WatchAsync("t2v");
        var done = seen[^1];
        Assert.True(done.Phase == GenerationPhase.Succeeded, done.Error);
        // Steps arrive in order, then decoding, then the finished status.
        var steps = seen.Where(s => s.Stage == GenerationStage.Denoising).Select(s => s.Step).ToList();
        Assert.Equal(steps.Order(), steps);
        Assert.Contains(3, steps);
        Assert.Contains(seen, s => s.Stage == GenerationStage.Decoding);
        Assert.Equal((GenerationStage.Done, 3), (done.Stage, done.Step));

        Assert.Equal(["videos/t2v/1/frames.zip", "videos/t2v/1/video.mp4"], await Cluster.Store.ListAsync("videos/t2v/"));
        Assert.Equal(("videos/t2v/1/frames.zip", "videos/t2v/1/video.mp4"), (done.FramesKey, done.VideoKey));
        var frames = FrameArchive.Decode(await Cluster.Store.ReadAllBytesAsync(done.FramesKey!), done.FramesKey!);
        Assert.Equal((32, 32, 9), (frames.Width, frames.Height, frames.FrameCount));
        var mp4 = await Cluster.Store.ReadAllBytesAsync(done.VideoKey!);
        Assert.Equal("ftyp", System.Text.Encoding.ASCII.GetString(mp4, 4, 4));

        // The same request again changes nothing; another request under the id is refused.
        Assert.Equal(done with { Warnings = [] }, (await Job("t2v").Submit(request)) with { Warnings = [] });
        await Assert.ThrowsAsync<GenerationConflictException>(() => Job("t2v").Submit(request with { Seed = 2 }));
        Assert.Equal(2, (await Cluster.Store.ListAsync("videos/t2v/")).Count);
    }

    [Fact]
    public async Task The_same_request_under_two_ids_gives_the_same_frames()
    {
        var request = GenerationCluster.Request(prompt: "a big blue box rises", seed: 5);
        await Job("same-a").Submit(request);
        await Job("same-b").Submit(request);
        var a = (await Cluster.WatchAsync("same-a"))[^1];
        var b = (await Cluster.WatchAsync("same-b"))[^1];
        var framesA = FrameArchive.Decode(await Cluster.Store.ReadAllBytesAsync(a.FramesKey!), "a");
        var framesB = FrameArchive.Decode(await Cluster.Store.ReadAllBytesAsync(b.FramesKey!), "b");
        Assert.Equal(framesA.Data, framesB.Data);
    }

    [Fact]
    public async Task An_image_is_the_first_frame_and_a_stored_result_can_be_continued()
    {
        var image = new VideoFrames(32, 32, 1, 8);
        new Random(3).NextBytes(image.Data);
        await Cluster.Store.WriteAsync("uploads/first.png", new MemoryStream(PngEncoder.Encode(image)), ArtefactWriteMode.Overwrite);
        await Job("i2v").Submit(GenerationCluster.Request(image: "uploads/first.png"));
        var fromImage = (await Cluster.WatchAsync("i2v"))[^1];
        Assert.True(fromImage.Phase == GenerationPhase.Succeeded, fromImage.Error);

        await Job("v2v").Submit(GenerationCluster.Request(video: fromImage.FramesKey));
        var continued = (await Cluster.WatchAsync("v2v"))[^1];
        Assert.True(continued.Phase == GenerationPhase.Succeeded, continued.Error);
    }

    [Fact]
    public async Task A_job_taken_up_again_stores_a_pair_of_its_own_beside_what_its_dead_attempt_left()
    {
        // What a silo that died in the middle of the first attempt left: the job running, and that attempt's frames
        // (of another decode) stored without a video.
        var request = GenerationCluster.Request(seed: 7);
        var other = new VideoFrames(32, 32, 9, 8);
        new Random(7).NextBytes(other.Data);
        var left = FrameArchive.Encode(other);
        await Cluster.Store.WriteAsync(GenerationArtefacts.FramesKey("retried", 1), new MemoryStream(left), ArtefactWriteMode.CreateNew);
        await Cluster.PlantAsync("retried", new GenerationJobState
        {
            Request = request, Phase = GenerationPhase.Running, Stage = GenerationStage.Decoding, Attempts = 1,
            Caption = PromptRephraser.Rephrase(request.Prompt).Caption, Created = DateTimeOffset.UtcNow,
        });

        var done = (await Cluster.WatchAsync("retried"))[^1];
        Assert.True(done.Phase == GenerationPhase.Succeeded, done.Error);
        Assert.Equal((GenerationArtefacts.FramesKey("retried", 2), GenerationArtefacts.VideoKey("retried", 2, ".mp4")), (done.FramesKey, done.VideoKey));
        Assert.Equal(left, await Cluster.Store.ReadAllBytesAsync(GenerationArtefacts.FramesKey("retried", 1)));
        // The frames are this attempt's: the same request as a fresh job gives the same.
        await Job("retried-fresh").Submit(request);
        var fresh = (await Cluster.WatchAsync("retried-fresh"))[^1];
        Assert.Equal(await Cluster.Store.ReadAllBytesAsync(fresh.FramesKey!), await Cluster.Store.ReadAllBytesAsync(done.FramesKey!));
    }

    public static TheoryData<string, GenerationRequest> BadRequests => new()
    {
        { "prompt", GenerationCluster.Request(prompt: " ") },
        { "prompt", GenerationCluster.Request(prompt: new string('a', 10_000)) },
        { "frames", GenerationCluster.Request() with { Frames = 0 } },
        { "frames", GenerationCluster.Request() with { Frames = 10 } },
        { "width", GenerationCluster.Request() with { Width = 24 } },
        { "height", GenerationCluster.Request() with { Height = 0 } },
        { "steps", GenerationCluster.Request(steps: 0) },
        { "steps", GenerationCluster.Request(steps: 10_000) },
        { "guidance", GenerationCluster.Request() with { Guidance = double.NaN } },
        { "guidance", GenerationCluster.Request() with { Guidance = -1 } },
        { "image", GenerationCluster.Request(image: "uploads/missing.png") },
        { "image", GenerationCluster.Request(image: "uploads/not-an-image.png") },
        { "image", GenerationCluster.Request(image: "../escape.png") },
        { "video", GenerationCluster.Request(image: "uploads/not-an-image.png", video: "uploads/not-an-image.png") },
        { "model", GenerationCluster.Request() with { Model = "../../etc" } },
        { "model", GenerationCluster.Request() with { Model = "no-such-model" } },
        { "tiles", GenerationCluster.Request() with { Tiles = new DecodeTiles(0, 2) } },
        { "tiles", GenerationCluster.Request() with { Tiles = new DecodeTiles(5, 1) } },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_names_the_field_and_stores_nothing(string field, GenerationRequest request)
    {
        await Cluster.Store.WriteAsync("uploads/not-an-image.png", new MemoryStream("hello, not a PNG"u8.ToArray()), ArtefactWriteMode.Overwrite);
        string id = $"bad-{field}-{Guid.NewGuid():N}";
        var e = await Assert.ThrowsAnyAsync<ArgumentException>(() => Job(id).Submit(request));
        Assert.Equal(field, e.ParamName);
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => Job(id).GetStatus());
        Assert.Empty(await Cluster.Store.ListAsync($"videos/{id}/"));
    }

    [Fact]
    public async Task An_unknown_id_is_not_found_by_any_call()
    {
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => Job("never").GetStatus());
        await Assert.ThrowsAsync<GenerationNotFoundException>(() => Job("never").Cancel());
        await Assert.ThrowsAsync<GenerationNotFoundException>(async () =>
        {
            await foreach (var _ in Job("never").Watch()) { }
        });
        Assert.Equal("id", (await Assert.ThrowsAsync<GenerationInputException>(() => Job("a/b").Submit(GenerationCluster.Request()))).ParamName);
    }
}
