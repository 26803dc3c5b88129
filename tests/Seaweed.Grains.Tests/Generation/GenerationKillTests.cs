using System.Diagnostics;
using Seaweed.Grains.Generation;
using Seaweed.Grains.Training;
using Seaweed.Model;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Generation;

/// <summary>
/// Three silos. A job is placed on a silo whose model load never returns, and that silo is killed while the job runs
/// there; nobody calls the job again, so only its watchdog reminder can bring it back.
/// </summary>
public sealed class GenerationKillTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_job_whose_silo_dies_completes_on_another_with_nobody_calling_it_and_is_stored_once()
    {
        using var released = new ManualResetEventSlim();
        int doomed = -1;
        await using var cluster = await GenerationCluster.StartAsync(3, load: (silo, directory, token) =>
        {
            if (silo != Volatile.Read(ref doomed)) return SeaweedModel.Load(directory);
            WaitHandle.WaitAny([token.WaitHandle, released.WaitHandle]);
            throw new OperationCanceledException($"silo {silo} never loads a model");
        });
        try
        {
            var silos = cluster.Cluster.Silos.OrderBy(s => s.Name, StringComparer.Ordinal).Select(s => s.SiloAddress).ToArray();
            var request = GenerationCluster.Request();
            await cluster.Grains.GetGrain<IGenerationGrain>("unbroken").Submit(request);
            var unbroken = (await cluster.WatchAsync("unbroken"))[^1];
            Assert.True(unbroken.Phase == GenerationPhase.Succeeded, unbroken.Error);

            // In-memory reminders live in one grain, which a job's reminder has activated by now: the silo to kill
            // is neither that one (its reminders would die with it) nor the one that has loaded the model already.
            var reminders = (await cluster.Grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics())
                .Where(g => g.GrainType.StartsWith("Orleans.Runtime.ReminderService.ReminderTableGrain", StringComparison.Ordinal))
                .Select(g => g.SiloAddress.ToParsableString()).ToList();
            Assert.Single(reminders);
            Volatile.Write(ref doomed, Array.FindIndex(silos, s => s.ToParsableString() != reminders[0] && s.ToParsableString() != unbroken.Silo));

            await PlacementHint.On(silos[doomed], () => cluster.Grains.GetGrain<IGenerationGrain>("killed").Submit(request));
            var running = await cluster.RunningAsync("killed");
            Assert.Equal((GenerationPhase.Running, silos[doomed].ToParsableString()), (running.Phase, running.Silo));

            var watch = Stopwatch.StartNew();
            await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress == silos[doomed]));
            // The second attempt's: the first began on the killed silo.
            await cluster.StoredAsync(GenerationArtefacts.VideoKey("killed", 2, ".mp4"), TimeSpan.FromSeconds(60));
            output.WriteLine($"stored {watch.Elapsed.TotalSeconds:F1} s after the kill, the watchdog ticking every {GenerationCluster.WatchdogPeriod.TotalSeconds} s");

            var done = (await cluster.WatchAsync("killed"))[^1];
            Assert.True(done.Phase == GenerationPhase.Succeeded, done.Error);
            Assert.NotEqual(running.Silo, done.Silo);
            // Never duplicated: one video and one set of frames, and they are the unbroken job's.
            Assert.Equal(["videos/killed/2/frames.zip", "videos/killed/2/video.mp4"], await cluster.Store.ListAsync("videos/killed/"));
            Assert.Equal(("videos/killed/2/frames.zip", "videos/killed/2/video.mp4"), (done.FramesKey, done.VideoKey));
            Assert.Equal(await cluster.Store.ReadAllBytesAsync(unbroken.FramesKey!), await cluster.Store.ReadAllBytesAsync(done.FramesKey!));
        }
        finally
        {
            released.Set();
        }
    }
}
