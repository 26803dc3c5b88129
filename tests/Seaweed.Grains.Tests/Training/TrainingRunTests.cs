using Seaweed.Grains.Training;
using Seaweed.Training.Checkpoints;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seaweed.Grains.Tests.Training;

/// <summary>The run grain over two silos of one device each: steps, checkpoints, metrics, and refusals.</summary>
public sealed class TrainingRunTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() =>
        cluster = await TrainingCluster.StartAsync([1, 1], new Dictionary<string, IRankTrainerFactory> { ["linear"] = new LinearTrainer() });

    public async Task DisposeAsync() => await cluster.DisposeAsync();

    private static TrainingRunRequest Request(int ranks, int steps = 6, int every = 2) =>
        new(LinearTrainer.Config(ranks, steps, every), Trainer: "linear", StepTimeout: TimeSpan.FromSeconds(60), CollectiveTimeout: TimeSpan.FromSeconds(20));

    [Fact]
    public async Task Two_ranks_on_two_silos_train_like_one_rank_and_commit_every_checkpoint()
    {
        var two = await cluster.RunAsync("two-ranks", Request(2));
        output.WriteLine(two.ToString());
        Assert.Equal(TrainingPhase.Completed, two.Phase);
        Assert.Equal((6L, 6L, 6L), (two.Step, two.Steps, two.CheckpointStep!.Value));
        Assert.Equal(0, two.Restarts);
        Assert.Equal(2, two.Ranks.Select(r => r.Silo).Distinct().Count());
        var resume = Assert.Single(two.Resumes);
        Assert.Equal((1, (long?)null), (resume.Epoch, resume.FromStep));

        var history = await cluster.Grains.GetGrain<ITrainingRunGrain>("two-ranks").GetHistory();
        Assert.Equal([1L, 2, 3, 4, 5, 6], history.Select(h => h.Step));
        Assert.All(history, h => Assert.Equal(8, h.Tokens));
        Assert.True(history[^1].Loss < history[0].Loss / 2, $"loss {history[0].Loss} → {history[^1].Loss}");
        // keep = 2: only the checkpoints after steps 4 and 6 remain.
        var manifests = (await cluster.Store.ListAsync(TrainingCheckpoint.RunPrefix("two-ranks"))).Where(k => k.EndsWith(TrainingCheckpoint.ManifestFile)).ToArray();
        Assert.Equal([TrainingCheckpoint.ManifestKey("two-ranks", 4), TrainingCheckpoint.ManifestKey("two-ranks", 6)], manifests);

        var one = await cluster.RunAsync("one-rank", Request(1));
        Assert.Equal(TrainingPhase.Completed, one.Phase);
        var oneHistory = await cluster.Grains.GetGrain<ITrainingRunGrain>("one-rank").GetHistory();
        for (int i = 0; i < history.Count; i++) Assert.Equal(oneHistory[i].Loss, history[i].Loss, tolerance: 1e-5 * oneHistory[i].Loss);
        using var a = (await cluster.FinalShardAsync("two-ranks", 0))["weights"];
        using var b = (await cluster.FinalShardAsync("two-ranks", 1))["weights"];
        using var single = (await cluster.FinalShardAsync("one-rank", 0))["weights"];
        Assert.Equal(a.data<float>().ToArray(), b.data<float>().ToArray()); // data-parallel ranks hold the same weights
        Assert.True(a.allclose(single, rtol: 1e-5, atol: 1e-6), "two ranks and one rank trained different weights");

        // The same request again changes nothing; another request under the same run id is refused.
        Assert.Equal(TrainingPhase.Completed, (await cluster.Grains.GetGrain<ITrainingRunGrain>("two-ranks").Start(Request(2))).Phase);
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => cluster.Grains.GetGrain<ITrainingRunGrain>("two-ranks").Start(Request(2, steps: 8)));
        Assert.Contains("another request", refused.Message);
    }

    [Theory]
    [InlineData("""{ "model": "tiny", "stepz": 3 }""", "Config.stepz")]
    [InlineData("""{ "model": "tiny", "parallel": { "ranks": 3, "dp": 2 } }""", "Config.parallel.ranks")]
    public async Task A_bad_config_is_refused_naming_the_field(string config, string field)
    {
        var grain = cluster.Grains.GetGrain<ITrainingRunGrain>($"bad-{Guid.NewGuid():N}");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => grain.Start(new TrainingRunRequest(config, Trainer: "linear")));
        Assert.StartsWith(field, e.Message);
        Assert.Equal(TrainingPhase.NotStarted, (await grain.GetProgress()).Phase);
    }

    [Fact]
    public async Task An_unknown_trainer_is_refused_at_start()
    {
        var grain = cluster.Grains.GetGrain<ITrainingRunGrain>("unknown-trainer");
        var e = await Assert.ThrowsAsync<ArgumentException>(() => grain.Start(Request(1) with { Trainer = "nope" }));
        Assert.StartsWith("Trainer: no trainer named 'nope'", e.Message);
    }

    [Fact]
    public async Task A_run_needing_more_devices_than_the_cluster_has_fails_saying_so()
    {
        var failed = await cluster.RunAsync("too-many", Request(3) with { MaxRestarts = 0, StepTimeout = TimeSpan.FromSeconds(5) });
        Assert.Equal(TrainingPhase.Failed, failed.Phase);
        Assert.Contains("no live silo has a free device", failed.Error);
    }
}
