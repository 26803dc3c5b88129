using Seaweed.Grains.Training;
using Xunit.Abstractions;

namespace Seaweed.Grains.Tests.Training;

/// <summary>
/// The training recipe itself (the tiny DiT, FSDP over two ranks, AdamW, the curriculum's data cursor) on three silos of
/// one device each: a rank's silo is killed after the first checkpoint, and the run must end with the losses and every
/// tensor of every shard of an unbroken run, bit for bit.
/// </summary>
public sealed class RecipeKillAndResumeTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Steps = 4;
    /// <summary>The ranks stop before step index 3: the checkpoint after 2 steps is committed, step 3 done.</summary>
    private const long HoldAt = 3;

    private static readonly string Config = """
        {
          "model": "tiny", "parallel": { "ranks": 2, "fsdp": 2 }, "steps": 4, "globalBatch": 2, "seed": 5,
          "curriculum": [ { "name": "only", "fraction": 1.0, "images": { "resolutions": [32] } } ],
          "optimizer": { "lr": 3e-4, "warmupSteps": 1 },
          "checkpoints": { "every": 2, "keep": 2 }
        }
        """;

    private readonly HeldTrainer held = new(new RecipeTrainer(), HoldAt, ranks: 2);
    private TrainingCluster cluster = null!;

    public async Task InitializeAsync() => cluster = await TrainingCluster.StartAsync([1, 1, 1], new Dictionary<string, IRankTrainerFactory>
    {
        [TrainingRunRequest.RecipeTrainer] = new RecipeTrainer(),
        ["held"] = held,
    });

    public async Task DisposeAsync()
    {
        held.Open();
        await cluster.DisposeAsync();
    }

    private static TrainingRunRequest Request(string trainer) =>
        new(Config, Trainer: trainer, StepTimeout: TimeSpan.FromSeconds(60), CollectiveTimeout: TimeSpan.FromSeconds(30));

    [Fact]
    public async Task Killing_a_rank_silo_of_a_recipe_run_resumes_it_bit_for_bit()
    {
        var unbroken = await cluster.RunAsync("unbroken", Request(TrainingRunRequest.RecipeTrainer));
        Assert.True(unbroken.Phase == TrainingPhase.Completed, $"{unbroken.Phase}: {unbroken.Error}");

        var run = cluster.Grains.GetGrain<ITrainingRunGrain>("killed");
        await run.Start(Request("held"));
        Assert.True(held.Held.Wait(TimeSpan.FromSeconds(60)), "the ranks never reached the hold");
        var before = await run.GetProgress();
        Assert.Equal((2L, 3L), (before.CheckpointStep!.Value, before.Step));
        var victim = before.Ranks.First(r => r.Silo != before.RunSilo);
        await cluster.Cluster.KillSiloAsync(cluster.Cluster.Silos.Single(s => s.SiloAddress.ToParsableString() == victim.Silo));
        held.Open();

        var after = await cluster.FinishedAsync("killed", TimeSpan.FromMinutes(2));
        foreach (var r in after.Resumes) output.WriteLine($"epoch {r.Epoch} from {r.FromStep}: {r.Cause}");
        Assert.True(after.Phase == TrainingPhase.Completed, $"{after.Phase}: {after.Error}");
        Assert.True(after.Restarts >= 1);
        Assert.Equal(2L, after.Resumes[^1].FromStep);

        var expected = await cluster.Grains.GetGrain<ITrainingRunGrain>("unbroken").GetHistory();
        Assert.Equal(expected.Select(h => (h.Step, h.Loss)), (await run.GetHistory()).Select(h => (h.Step, h.Loss)));
        for (int rank = 0; rank < 2; rank++)
        {
            var a = await cluster.FinalShardAsync("unbroken", rank);
            var b = await cluster.FinalShardAsync("killed", rank);
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            foreach (var (name, tensor) in a)
            {
                Assert.Equal(tensor.shape, b[name].shape);
                Assert.True(tensor.equal(b[name]).all().item<bool>(), $"rank {rank} tensor {name} differs from the unbroken run's");
                tensor.Dispose();
                b[name].Dispose();
            }
        }
    }
}
