using Seaweed.Data.Store;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Ranks;
using Xunit.Abstractions;

namespace Seaweed.Training.Tests;

[Collection(TorchGlobalRng.Name)]
public sealed class RankTrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory dir = TestRuns.ModelDirectory();

    private TrainingConfig Config(int dp, int fsdp, int cp, string policy = "keep") => TrainingConfig.FromJson($$"""
        {
          "model": "model.json",
          "parallel": { "ranks": {{dp * fsdp * cp}}, "dp": {{dp}}, "fsdp": {{fsdp}}, "cp": {{cp}} },
          "steps": 3, "globalBatch": 4, "seed": 3,
          "curriculum": [
            { "name": "images", "fraction": 0.34, "images": { "resolutions": [32] } },
            { "name": "mixed", "fraction": 0.66, "imageShare": 0.5, "images": { "resolutions": [32] }, "videos": { "resolution": 32, "frames": [5, 9] } }
          ],
          "textDropout": 0.25,
          "optimizer": { "lr": 1e-3, "warmupSteps": 1, "gradClip": 1.0 },
          "data": { "source": "world", "seed": 4 },
          "activationCheckpointing": { "dualStream": "{{policy}}", "shared": "{{policy}}" }
        }
        """, dir.Path);

    private (double[] Losses, Dictionary<string, float[]> Parameters) Train(TrainingConfig config, int steps)
    {
        using var mesh = Mesh.Start(config);
        var losses = new double[steps];
        for (int s = 0; s < steps; s++)
        {
            var metrics = mesh.Run(r => r.Step());
            Assert.All(metrics, m => Assert.Equal(metrics[0].Loss, m.Loss));
            losses[s] = metrics[0].Loss;
            output.WriteLine($"{config.Parallel.Dp}·{config.Parallel.Fsdp}·{config.Parallel.Cp} step {metrics[0].Step} ({metrics[0].StageName}): loss {metrics[0].Loss:F6}, {metrics[0].Tokens} tokens");
        }
        var snapshots = mesh.Run(r => r.Snapshot());
        try
        {
            return (losses, Mesh.Parameters(snapshots));
        }
        finally
        {
            foreach (var s in snapshots) s.Dispose();
        }
    }

    private (double[] Losses, Dictionary<string, float[]> Parameters) Reference(TrainingConfig config, int steps)
    {
        using var single = RankTrainer.SingleRank(config, Mesh.Source(config));
        var losses = Enumerable.Range(0, steps).Select(_ => single.Step().Loss).ToArray();
        using var snapshot = single.Snapshot();
        return (losses, Mesh.Parameters([snapshot]));
    }

    private void AssertSame((double[] Losses, Dictionary<string, float[]> Parameters) expected, (double[] Losses, Dictionary<string, float[]> Parameters) actual, double tolerance)
    {
        for (int s = 0; s < expected.Losses.Length; s++)
            Assert.True(Math.Abs(expected.Losses[s] - actual.Losses[s]) <= tolerance * Math.Abs(expected.Losses[s]),
                $"step {s + 1}: loss {actual.Losses[s]} vs {expected.Losses[s]}");
        Assert.Equal(expected.Parameters.Keys.Order(), actual.Parameters.Keys.Order());
        double worst = 0;
        foreach (var (unit, values) in expected.Parameters)
        {
            var other = actual.Parameters[unit];
            Assert.Equal(values.Length, other.Length);
            for (int i = 0; i < values.Length; i++) worst = Math.Max(worst, Math.Abs(values[i] - other[i]));
        }
        output.WriteLine($"largest parameter difference {worst:E2}");
        Assert.True(worst <= tolerance, $"parameters differ by up to {worst}");
    }

    [Fact]
    public void Three_steps_on_four_ranks_dp2_fsdp2_equal_three_steps_on_one()
    {
        var config = Config(dp: 2, fsdp: 2, cp: 1);
        AssertSame(Reference(config, 3), Train(config, 3), 1e-5);
    }

    [Fact]
    public void Activation_checkpointing_with_host_offload_changes_nothing_but_memory()
    {
        var plain = Reference(Config(dp: 1, fsdp: 1, cp: 1), 3);
        AssertSame(plain, Train(Config(dp: 2, fsdp: 1, cp: 1, policy: "host"), 3), 1e-5);
    }

    [Fact]
    public async Task Save_restore_continue_equals_an_uninterrupted_run()
    {
        var config = Config(dp: 2, fsdp: 2, cp: 1);
        var uninterrupted = Train(config, 3);

        var store = new LocalArtefactStore(Path.Combine(dir.Path, "store"));
        using (var first = Mesh.Start(config))
        {
            for (int s = 0; s < 2; s++) first.Run(r => r.Step());
            var shards = first.Run(r => r.SaveShardAsync(store, "run").GetAwaiter().GetResult());
            await TrainingCheckpoint.CommitAsync(store, TrainingCheckpoint.Manifest(config, "run", 2, first.Ranks[0].Cursor, shards));
        }
        var manifest = (await TrainingCheckpoint.FindLatestAsync(store, "run")).Latest!;
        Assert.Equal((2L, 1, "mixed"), (manifest.Step, manifest.Stage, manifest.StageName));

        using var resumed = Mesh.Start(config);
        resumed.Run(r => { r.RestoreAsync(store, manifest).GetAwaiter().GetResult(); return 0; });
        Assert.All(resumed.Ranks, r => Assert.Equal((2L, manifest.Cursor), (r.CompletedSteps, r.Cursor)));
        var last = resumed.Run(r => r.Step());
        Assert.True(resumed.Ranks[0].IsComplete);
        Assert.Equal(uninterrupted.Losses[2], last[0].Loss);
        var snapshots = resumed.Run(r => r.Snapshot());
        var parameters = Mesh.Parameters(snapshots);
        foreach (var s in snapshots) s.Dispose();
        foreach (var (unit, values) in uninterrupted.Parameters) Assert.Equal(values, parameters[unit]);
    }

    public void Dispose() => dir.Dispose();
}
