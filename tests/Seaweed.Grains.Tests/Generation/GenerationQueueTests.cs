using Seaweed.Grains.Generation;
using Seaweed.Model;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>
/// One silo, one worker and room for two jobs. The first job's model load waits on a gate the test opens, so the
/// job stays running (and the second queued behind it) for as long as the test needs, however fast the machine.
/// </summary>
public sealed class GenerationQueueTests
{
    private const int Capacity = 2;

    [Fact]
    public async Task A_full_queue_refuses_a_job_and_cancelling_running_and_queued_jobs_frees_it()
    {
        using var gate = new ManualResetEventSlim();
        await using var cluster = await GenerationCluster.StartAsync(1, Capacity, (_, directory, token) =>
        {
            gate.Wait(token);
            return SeaweedModel.Load(directory);
        });
        IGenerationGrain Job(string id) => cluster.Grains.GetGrain<IGenerationGrain>(id);
        try
        {
            var request = GenerationCluster.Request();
            await Job("held").Submit(request);
            await Job("behind").Submit(request with { Seed = 2 });
            var full = await Assert.ThrowsAsync<GenerationQueueFullException>(() => Job("refused").Submit(request with { Seed = 3 }));
            Assert.Equal(Capacity, full.Capacity);
            await Assert.ThrowsAsync<GenerationNotFoundException>(() => Job("refused").GetStatus());

            var running = await cluster.RunningAsync("held");
            Assert.Equal((GenerationPhase.Running, 0), (running.Phase, running.Step));
            Assert.Equal(GenerationPhase.Queued, (await Job("behind").GetStatus()).Phase);
            // Still full: a job waiting on a worker holds its place as much as a running one.
            await Assert.ThrowsAsync<GenerationQueueFullException>(() => Job("refused").Submit(request with { Seed = 3 }));

            Assert.Equal(GenerationPhase.Cancelled, (await Job("behind").Cancel()).Phase);
            Assert.Equal(GenerationPhase.Cancelled, (await Job("held").Cancel()).Phase);
            gate.Set();
            var last = (await cluster.WatchAsync("held"))[^1];
            Assert.Equal((GenerationPhase.Cancelled, 0), (last.Phase, last.Step));
            // A cancelled job stays cancelled, stores nothing, and its place in the queue is free again.
            Assert.Equal(GenerationPhase.Cancelled, (await Job("held").Cancel()).Phase);
            Assert.Equal(GenerationPhase.Cancelled, (await Job("behind").GetStatus()).Phase);
            await Job("refused").Submit(request with { Seed = 3 });
            Assert.Equal(GenerationPhase.Succeeded, (await cluster.WatchAsync("refused"))[^1].Phase);
            Assert.Empty(await cluster.Store.ListAsync("videos/held/"));
            Assert.Empty(await cluster.Store.ListAsync("videos/behind/"));
        }
        finally
        {
            gate.Set();
        }
    }
}
