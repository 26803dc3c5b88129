using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>Writes of a job's state that fail: the job acts only on what storage holds.</summary>
public sealed class GenerationStorageFailureTests
{
    [Fact]
    public async Task A_Cancel_whose_write_fails_reaches_the_caller_and_leaves_the_job_running()
    {
        using var gate = new ManualResetEventSlim();
        await using var cluster = await GenerationCluster.StartAsync(1, queueCapacity: 1, load: (_, directory, token) =>
        {
            gate.Wait(token);
            return SeaweedModel.Load(directory);
        });
        var job = cluster.Grains.GetGrain<IGenerationGrain>("kept");
        try
        {
            await job.Submit(GenerationCluster.Request());
            await cluster.RunningAsync("kept");
            cluster.FailsWrite = state => state.Phase == GenerationPhase.Cancelled;
            var refused = await Assert.ThrowsAnyAsync<Exception>(() => job.Cancel());
            Assert.Contains("the grain store is unavailable", refused.ToString());

            Assert.Equal(GenerationPhase.Running, (await job.GetStatus()).Phase);
            Assert.Equal(GenerationPhase.Running, (await cluster.StoredStateAsync("kept")).Phase);
            // It keeps its place in the queue, and its work runs on to the video.
            await Assert.ThrowsAsync<GenerationQueueFullException>(() => cluster.Grains.GetGrain<IGenerationGrain>("other").Submit(GenerationCluster.Request(seed: 2)));
            cluster.FailsWrite = _ => false;
            gate.Set();
            var done = (await cluster.WatchAsync("kept"))[^1];
            Assert.True(done.Phase == GenerationPhase.Succeeded, done.Error);
        }
        finally
        {
            gate.Set();
        }
    }

    [Fact]
    public async Task A_write_that_fails_as_the_job_starts_fails_it_and_stops_its_work()
    {
        int loads = 0;
        // The first load holds the one worker until its job's token fires.
        await using var cluster = await GenerationCluster.StartAsync(1, load: (_, directory, token) =>
        {
            if (Interlocked.Increment(ref loads) > 1) return SeaweedModel.Load(directory);
            token.WaitHandle.WaitOne();
            throw new OperationCanceledException(token);
        });
        cluster.FailsWrite = state => state.Phase == GenerationPhase.Running;
        await cluster.Grains.GetGrain<IGenerationGrain>("unstarted").Submit(GenerationCluster.Request());

        var failed = (await cluster.WatchAsync("unstarted"))[^1];
        Assert.Equal(GenerationPhase.Failed, failed.Phase);
        Assert.Contains("the grain store is unavailable", failed.Error);
        var stored = await cluster.StoredStateAsync("unstarted");
        Assert.Equal((GenerationPhase.Failed, 0), (stored.Phase, stored.Attempts));

        cluster.FailsWrite = _ => false;
        await cluster.Grains.GetGrain<IGenerationGrain>("next").Submit(GenerationCluster.Request(seed: 2));
        Assert.Equal(GenerationPhase.Succeeded, (await cluster.WatchAsync("next", TimeSpan.FromSeconds(60)))[^1].Phase);
    }
}
