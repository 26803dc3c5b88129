using Seaweed.Grains.Generation;
using Seaweed.Grains.Stories;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Stories;

/// <summary>
/// A story of two chains (shot 0 → 1, shot 2 → 3) whose shot 2 is caught writing its result: the first write of its
/// frames is held (and never lands) while the silo running it, or the whole cluster, goes. The story completes with
/// every other shot generated once: shots 0 and 1 were done, shot 3 waited for shot 2, and only shot 2 runs again.
/// </summary>
public sealed class StoryResumeTests(ITestOutputHelper output)
{
    private const string Story = "resumed";
    private static readonly StoryRequest Request = StoryCluster.Request("a small red circle and a large blue square on a grey background",
        new ShotRequest("the red circle moves to the right", 9), new ShotRequest("the red circle rises", 9, ShotTransition.Continue),
        new ShotRequest("the blue square shrinks", 9), new ShotRequest("the blue square slides left", 9, ShotTransition.Continue));

    private static string HeldKey => GenerationArtefacts.FramesKey(StoryKeys.Job(Story, 2), attempt: 1);

    [Fact]
    public async Task Killing_the_silo_running_a_shot_regenerates_that_shot_only()
    {
        HoldingStore? hold = null;
        await using var cluster = await StoryCluster.StartAsync(3, storeFor: store => hold ??= new HoldingStore(store, HeldKey));
        using var _ = hold;
        var running = await HeldAsync(cluster, hold!);
        output.WriteLine($"killing {running.Silo}, which runs shot 2");
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == running.Silo));

        var story = await cluster.FinishedAsync(Story, TimeSpan.FromMinutes(3));
        Assert.Equal(GenerationPhase.Succeeded, story.Phase);
        Assert.Equal(new[] { 1, 1, 2, 1 }, await RunsAsync(cluster));
        Assert.NotEqual(running.Silo, story.Shots[2].Job!.Silo);
        Assert.True(await cluster.Store.ExistsAsync(story.VideoKey!));
        // Its watch broke with the silo: the shot's job was submitted again, which took it up elsewhere, and every
        // answer that it had not finished was followed by a new watch. (The job may also have been taken up and have
        // finished before the segment's submission got through, which then answers that it succeeded.)
        var calls = cluster.Calls[StoryKeys.Job(Story, 2)].ToArray();
        var shown = string.Join(", ", calls);
        output.WriteLine(shown);
        var submits = Enumerable.Range(0, calls.Length).Where(i => calls[i].StartsWith("IGenerationGrain.Submit", StringComparison.Ordinal)).ToArray();
        Assert.True(submits.Length >= 2, shown);
        Assert.All(submits.Where(i => !calls[i].EndsWith(nameof(GenerationPhase.Succeeded), StringComparison.Ordinal)), i =>
            Assert.True(calls.Skip(i + 1).Any(c => c.StartsWith("IAsyncEnumerableGrainExtension.StartEnumeration", StringComparison.Ordinal)), shown));
    }

    /// <summary>The whole cluster goes; a new one over the same state and store takes the story up, reusing the
    /// shots it has.</summary>
    [Fact]
    public async Task A_story_taken_up_after_a_restart_reuses_every_finished_shot()
    {
        string root;
        HoldingStore? hold = null;
        var first = await StoryCluster.StartAsync(1, storeFor: store => hold ??= new HoldingStore(store, HeldKey));
        try
        {
            root = first.Root;
            await HeldAsync(first, hold!);
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} held; killing the cluster");
            await first.Cluster.KillSiloAsync(first.Cluster.Silos.Single());
            await first.Cluster.DisposeAsync();
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} killed");
        }
        finally
        {
            hold!.Dispose();
        }

        await using (var second = await StoryCluster.StartAsync(1, root))
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} restarted");
            var story = await second.FinishedAsync(Story, TimeSpan.FromMinutes(3));
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} finished");
            Assert.Equal(GenerationPhase.Succeeded, story.Phase);
            Assert.Equal([true, true, false, false], story.Shots.Select(s => s.Reused));
            Assert.Equal(new[] { 1, 1, 2, 1 }, await RunsAsync(second));
        }
        Directory.Delete(root, recursive: true);
    }

    /// <summary>Starts the story and waits until shots 0 and 1 are done and shot 2 is held writing its frames.</summary>
    private static async Task<GenerationStatus> HeldAsync(StoryCluster cluster, HoldingStore hold)
    {
        await cluster.Grains.GetGrain<IStoryGrain>(Story).Start(Request);
        await hold.Held.WaitAsync(TimeSpan.FromMinutes(2));
        while (true)
        {
            var status = (await cluster.StatusAsync(Story))!;
            if (status.Shots[0].Job?.Phase == GenerationPhase.Succeeded && status.Shots[1].Job?.Phase == GenerationPhase.Succeeded)
                return await cluster.Grains.GetGrain<IGenerationGrain>(StoryKeys.Job(Story, 2)).GetStatus();
            await Task.Delay(50);
        }
    }

    private static async Task<int[]> RunsAsync(StoryCluster cluster) =>
        await Task.WhenAll(Enumerable.Range(0, Request.Shots.Count).Select(i => cluster.RunsOf(Story, i)));
}
