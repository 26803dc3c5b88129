using System.Diagnostics;
using Seaweed.Grains.Generation;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>Three silos; the silo running a job is killed mid-denoising.</summary>
public sealed class GenerationKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_whose_silo_dies_is_taken_up_on_another_and_stored_once_with_the_unbroken_result()
    {
        await using var cluster = await GenerationCluster.StartAsync(3);
        var request = GenerationCluster.Slow with { Steps = 30 };
        var watch = Stopwatch.StartNew();
        await cluster.Grains.GetGrain<IGenerationGrain>("unbroken").Submit(request);
        var unbroken = (await cluster.WatchAsync("unbroken"))[^1];
        Assert.True(unbroken.Phase == GenerationPhase.Succeeded, unbroken.Error);
        output.WriteLine($"unbroken job: {watch.Elapsed.TotalSeconds:F1} s");

        var job = cluster.Grains.GetGrain<IGenerationGrain>("killed");
        await job.Submit(request);
        var running = await cluster.RunningAsync("killed");
        Assert.Equal(GenerationPhase.Running, running.Phase);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == running.Silo));

        var done = (await cluster.WatchAsync("killed", TimeSpan.FromMinutes(3)))[^1];
        output.WriteLine($"killed at step {running.Step} of {running.Steps} on {running.Silo}; finished on {done.Silo}");
        Assert.True(done.Phase == GenerationPhase.Succeeded, done.Error);
        Assert.NotEqual(running.Silo, done.Silo);
        // Never duplicated: one video and one set of frames, and they are the unbroken job's.
        Assert.Equal(["videos/killed/frames.zip", "videos/killed/video.mp4"], await cluster.Store.ListAsync("videos/killed/"));
        Assert.Equal(await cluster.Store.ReadAllBytesAsync(unbroken.FramesKey!), await cluster.Store.ReadAllBytesAsync(done.FramesKey!));
    }
}
