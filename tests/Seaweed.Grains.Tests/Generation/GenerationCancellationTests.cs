using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>Cancellations a job did not ask for, and a Cancel that comes before the job has started.</summary>
public sealed class GenerationCancellationTests
{
    [Fact]
    public async Task A_cancellation_neither_Cancels_nor_the_silos_fails_the_job_and_frees_its_place()
    {
        int loads = 0;
        await using var cluster = await GenerationCluster.StartAsync(1, queueCapacity: 1, load: (_, directory, _) =>
            Interlocked.Increment(ref loads) == 1 ? throw new OperationCanceledException("the tile decode timed out") : SeaweedModel.Load(directory));
        var job = cluster.Grains.GetGrain<IGenerationGrain>("timed-out");
        await job.Submit(GenerationCluster.Request());

        var failed = (await cluster.WatchAsync("timed-out"))[^1];
        Assert.Equal(GenerationPhase.Failed, failed.Phase);
        Assert.Contains("the tile decode timed out", failed.Error);
        // Its place in a queue of one is free again, and the watchdog does not take it up.
        await cluster.Grains.GetGrain<IGenerationGrain>("next").Submit(GenerationCluster.Request(seed: 2));
        Assert.Equal(GenerationPhase.Succeeded, (await cluster.WatchAsync("next"))[^1].Phase);
        Assert.Equal(GenerationPhase.Failed, (await job.GetStatus()).Phase);
        Assert.Equal(2, loads);
    }

    [Fact]
    public async Task A_Cancel_before_the_drivers_first_tick_keeps_the_job_from_starting()
    {
        // The job's work would hold the one worker until its token fires.
        await using var cluster = await GenerationCluster.StartAsync(1, load: (_, directory, token) =>
        {
            if (Path.GetFileName(directory) != "held") return SeaweedModel.Load(directory);
            token.WaitHandle.WaitOne();
            throw new OperationCanceledException(token);
        });
        // A queued job an activation that died left: the Cancel that activates it again comes before its driver's first tick.
        await cluster.PlantAsync("early", new GenerationJobState
        {
            Request = GenerationCluster.Request() with { Model = "held" }, Phase = GenerationPhase.Queued, Caption = "red circle moves to the left",
            Created = DateTimeOffset.UtcNow,
        });
        Assert.Equal(GenerationPhase.Cancelled, (await cluster.Grains.GetGrain<IGenerationGrain>("early").Cancel()).Phase);

        await cluster.Grains.GetGrain<IGenerationGrain>("after").Submit(GenerationCluster.Request());
        Assert.Equal(GenerationPhase.Succeeded, (await cluster.WatchAsync("after", TimeSpan.FromSeconds(60)))[^1].Phase);
        Assert.Equal(GenerationPhase.Cancelled, (await cluster.StoredStateAsync("early")).Phase);
    }
}
