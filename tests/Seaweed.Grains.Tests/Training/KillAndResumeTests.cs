using Seaweed.Grains.Training;
using Seaweed.Training.Checkpoints;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// Three silos of one device each and a run of two ranks, held mid-run after the checkpoint of step 6: a silo is
/// killed, and the run must end with the losses and weights of an unbroken run.
/// </summary>
public sealed class KillAndResumeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 12, Every = 3;
    /// <summary>The ranks stop before step index 7: the checkpoint after 6 steps is committed, step 7 done.</summary>
    private const long HoldAt = 7;

    private readonly LinearTrainer held = new() { HoldAt = HoldAt, Held = new CountdownEvent(2) };
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TrainingCluster.StartAsync([1, 1, 1], new Dictionary<string, IRankTrainerFactory>
    {
        ["unbroken"] = new LinearTrainer(),
        ["held"] = held,
    });

    public async Task DisposeAsync()
    {
        held.Open();
        await cluster.DisposeAsync();
    }

    private static TrainingRunRequest Request(string trainer) =>
        new(LinearTrainer.Config(2, Steps, Every, keep: 3), Trainer: trainer, StepTimeout: TimeSpan.FromSeconds(60), CollectiveTimeout: TimeSpan.FromSeconds(30));

    /// <summary>
    /// The silo of a rank (not the run's) dies right after the newest checkpoint's shard of that rank is truncated:
    /// the run passes over the truncated checkpoint, resumes from the one before, and re-places the lost rank on the
    /// spare silo.
    /// </summary>
    [Fact]
    public async Task Killing_a_rank_silo_mid_run_resumes_from_the_last_good_checkpoint_with_the_same_final_weights()
    {
        var run = await HeldRun();
        var before = await run.GetProgress();

        // The victim: a rank whose silo does not host the run grain.
        var victim = before.Ranks.First(r => r.Silo != before.RunSilo);
        var survivor = before.Ranks.Single(r => r.Rank != victim.Rank);
        var spare = cluster.Cluster.Silos.Select(s => s.SiloAddress.ToParsableString()).Single(s => before.Ranks.All(r => r.Silo != s));
        string shard = TrainingCheckpoint.ShardKey("killed", 6, victim.Rank);
        var bytes = await cluster.Store.ReadAllBytesAsync(shard);
        await cluster.Store.WriteAsync(shard, new MemoryStream(bytes[..(bytes.Length / 2)]), Seaweed.Data.Store.ArtefactWriteMode.Overwrite);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == victim.Silo));
        held.Open();

        var after = await cluster.FinishedAsync("killed", TimeSpan.FromMinutes(3));
        foreach (var r in after.Resumes) output.WriteLine($"epoch {r.Epoch} from {r.FromStep}: {r.Cause} | skipped: {string.Join("; ", r.Skipped)}");
        Assert.Equal(TrainingPhase.Completed, after.Phase);
        Assert.Equal(Steps, after.Step);
        Assert.True(after.Restarts >= 1);
        // The truncated checkpoint after 6 steps was passed over: the group came back from the one after 3.
        var resumed = after.Resumes[1];
        Assert.Equal(3, resumed.FromStep);
        Assert.Contains(resumed.Skipped, s => s.StartsWith("step 6:") && s.Contains("truncated"));
        Assert.Equal(spare, after.Ranks.Single(r => r.Rank == victim.Rank).Silo);
        Assert.Equal(survivor.Silo, after.Ranks.Single(r => r.Rank == survivor.Rank).Silo);

        await AssertSameAsUnbroken(run);
    }

    /// <summary>The silo of the run grain itself dies: the run is activated elsewhere from its persisted state and
    /// carries on from its last checkpoint with the ranks it had (one is re-placed if it shared the silo).</summary>
    [Fact]
    public async Task Killing_the_run_grain_silo_mid_run_reactivates_the_run_with_the_same_final_weights()
    {
        var run = await HeldRun();
        var before = await run.GetProgress();
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == before.RunSilo));
        held.Open();

        var after = await cluster.FinishedAsync("killed", TimeSpan.FromMinutes(3));
        Assert.Equal(TrainingPhase.Completed, after.Phase);
        Assert.NotEqual(before.RunSilo, after.RunSilo);
        // In this process the dead silo's activation may still record one failed epoch before it loses its state's
        // etag to the new activation; every epoch after the first resumes from the checkpoint of step 6.
        Assert.All(after.Resumes.Skip(1), r => Assert.Equal(6L, r.FromStep));
        Assert.Contains(after.Resumes, r => r.Cause == "the run was reactivated");
        Assert.DoesNotContain(after.Ranks, r => r.Silo == before.RunSilo);
        await AssertSameAsUnbroken(run);
    }

    /// <summary>Runs the unbroken reference, then starts the held run and waits until both ranks are held.</summary>
    private async Task<ITrainingRunGrain> HeldRun()
    {
        var unbroken = await cluster.RunAsync("unbroken", Request("unbroken"));
        Assert.Equal(TrainingPhase.Completed, unbroken.Phase);
        var run = cluster.Grains.GetGrain<ITrainingRunGrain>("killed");
        await run.Start(Request("held"));
        Assert.True(held.Held.Wait(TimeSpan.FromSeconds(60)), "the ranks never reached the hold");
        var progress = await run.GetProgress();
        Assert.Equal((6L, 7L), (progress.CheckpointStep!.Value, progress.Step));
        return run;
    }

    private async Task AssertSameAsUnbroken(ITrainingRunGrain run)
    {
        var unbrokenHistory = await cluster.Grains.GetGrain<ITrainingRunGrain>("unbroken").GetHistory();
        var history = await run.GetHistory();
        Assert.Equal(unbrokenHistory.Select(h => (h.Step, h.Loss)), history.Select(h => (h.Step, h.Loss)));
        for (int rank = 0; rank < 2; rank++)
        {
            using var expected = (await cluster.FinalShardAsync("unbroken", rank))["weights"];
            using var actual = (await cluster.FinalShardAsync("killed", rank))["weights"];
            Assert.Equal(expected.data<float>().ToArray(), actual.data<float>().ToArray());
        }
    }
}
