using Seaweed.Data;
using Seaweed.Data.Dataset;
using Seaweed.Data.Store;
using Seaweed.Data.World;
using Seaweed.Model;
using Seaweed.Parallel.Balance;
using Seaweed.Parallel.Collectives;
using Seaweed.Parallel.Transport;
using Seaweed.Training.Checkpoints;
using Seaweed.Training.Planning;
using Seaweed.Training.Ranks;
using Seaweed.Training.Samples;
using Xunit.Abstractions;

namespace Seaweed.Training.Tests;

[Collection(TorchGlobalRng.Name)]
public sealed class RankTrainerTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory dir = TestRuns.ModelDirectory();

    private TrainingConfig Config(int dp, int fsdp, int cp, string policy = "keep", string balance = "flops") => TrainingConfig.FromJson($$"""
        {
          "balance": "{{balance}}",
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
            // One rank per data rank counts its share: the counts add up to the global batch's once, not cp times.
            var leads = metrics.Where((_, r) => mesh.Ranks[r].IsContextLead).ToArray();
            Assert.Equal(config.Parallel.DataRanks, leads.Length);
            Assert.Equal((metrics[0].Tokens, config.GlobalBatch), (leads.Sum(m => m.RankTokens), leads.Sum(m => m.RankSamples)));
            losses[s] = metrics[0].Loss;
            output.WriteLine($"{config.Parallel.Dp}·{config.Parallel.Fsdp}·{config.Parallel.Cp} step {metrics[0].Step} ({metrics[0].StageName}): " +
                $"loss {metrics[0].Loss:F6}, {metrics[0].Tokens} tokens, {metrics.Max(m => m.Seconds):F2} s, waited {metrics.Max(m => m.PlanWaitSeconds) * 1000:F1} ms for data");
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

    /// <summary>
    /// Losses within <paramref name="tolerance"/> relative, and every parameter tensor within it as ‖a − b‖ / ‖b‖
    /// (the tensors located in each unit's flat vector by a model of the same config).
    /// </summary>
    private void AssertSame(TrainingConfig config, (double[] Losses, Dictionary<string, float[]> Parameters) expected,
        (double[] Losses, Dictionary<string, float[]> Parameters) actual, double tolerance)
    {
        for (int s = 0; s < expected.Losses.Length; s++)
            Assert.True(Math.Abs(expected.Losses[s] - actual.Losses[s]) <= tolerance * Math.Abs(expected.Losses[s]),
                $"step {s + 1}: loss {actual.Losses[s]} vs {expected.Losses[s]}");
        Assert.Equal(expected.Parameters.Keys.Order(), actual.Parameters.Keys.Order());
        using var model = TrainingModel.Create(config, Mesh.Source(config));
        var (worst, worstName) = (0.0, "");
        foreach (var unit in TrainingModel.Units(model))
        {
            var (want, got) = (expected.Parameters[unit.Name], actual.Parameters[unit.Name]);
            Assert.Equal(unit.Numel, want.Length);
            Assert.Equal(want.Length, got.Length);
            foreach (var e in unit.Entries)
            {
                double diff = 0, norm = 0;
                for (long i = e.Offset; i < e.Offset + e.Numel; i++)
                {
                    diff += Math.Pow(got[i] - (double)want[i], 2);
                    norm += Math.Pow(want[i], 2);
                }
                double relative = Math.Sqrt(diff) / Math.Sqrt(norm);
                if (!(relative <= worst)) (worst, worstName) = (relative, $"{unit.Name}/{e.Name}");
            }
        }
        output.WriteLine($"largest relative parameter difference {worst:E2} ({worstName})");
        Assert.True(worst <= tolerance, $"{worstName} differs by {worst} relative");
    }

    [Fact]
    public void Three_steps_on_four_ranks_dp2_fsdp2_equal_three_steps_on_one()
    {
        var config = Config(dp: 2, fsdp: 2, cp: 1);
        AssertSame(config, Reference(config, 3), Train(config, 3), 1e-5);
    }

    [Theory]
    [InlineData(1, 1, 2)]
    [InlineData(2, 1, 2)]
    [InlineData(2, 2, 2)]
    public void Three_steps_with_context_parallel_ranks_equal_three_steps_on_one(int dp, int fsdp, int cp)
    {
        var config = Config(dp, fsdp, cp);
        AssertSame(config, Reference(config, 3), Train(config, 3), 1e-5);
    }

    [Fact]
    public void Activation_checkpointing_with_host_offload_changes_nothing_but_memory()
    {
        var plain = Reference(Config(dp: 1, fsdp: 1, cp: 1), 3);
        var offloaded = Config(dp: 2, fsdp: 1, cp: 1, policy: "host");
        AssertSame(offloaded, plain, Train(offloaded, 3), 1e-5);
        using var mesh = Mesh.Start(offloaded);
        mesh.Run(r => r.Step());
        Assert.All(mesh.Ranks, r => Assert.True(r.ActivationMemory!.Peak.Host > 0, "no block input went to host memory"));
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
            var shards = first.Run(r =>
            {
                using var snapshot = r.Snapshot();
                return TrainingCheckpoint.WriteShardAsync(store, "run", snapshot).GetAwaiter().GetResult();
            });
            await TrainingCheckpoint.CommitAsync(store, TrainingCheckpoint.Manifest(config, "run", 2, first.Ranks[0].Cursor, shards));
        }
        var manifest = (await TrainingCheckpoint.FindLatestAsync(store, "run")).Latest!;
        Assert.Equal((2L, 1, "mixed"), (manifest.Step, manifest.Stage, manifest.StageName));

        using var resumed = Mesh.Start(config);
        TrainingCheckpoint.CheckResumable(manifest, config);
        resumed.Run(r =>
        {
            using var snapshot = TrainingCheckpoint.ReadSnapshotAsync(store, manifest, r.Rank).GetAwaiter().GetResult();
            r.Restore(snapshot);
            return 0;
        });
        Assert.All(resumed.Ranks, r => Assert.Equal((2L, manifest.Cursor), (r.CompletedSteps, r.Cursor)));
        var last = resumed.Run(r => r.Step());
        Assert.True(resumed.Ranks[0].IsComplete);
        Assert.Equal(uninterrupted.Losses[2], last[0].Loss);
        var snapshots = resumed.Run(r => r.Snapshot());
        var parameters = Mesh.Parameters(snapshots);
        foreach (var s in snapshots) s.Dispose();
        foreach (var (unit, values) in uninterrupted.Parameters) Assert.Equal(values, parameters[unit]);
    }

    /// <summary>Records the largest payload a rank sends.</summary>
    private sealed class Recording(IRankTransport inner) : IRankTransport
    {
        public int Largest { get; private set; }
        public int Rank => inner.Rank;
        public int WorldSize => inner.WorldSize;

        public void Send(int to, MessageTag tag, byte[] payload)
        {
            Largest = Math.Max(Largest, payload.Length);
            inner.Send(to, tag, payload);
        }

        public byte[] Receive(int from, MessageTag tag, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            inner.Receive(from, tag, timeout, cancellationToken);
    }

    [Fact]
    public void A_rank_s_collectives_keep_to_the_message_size_it_is_given()
    {
        var config = Config(dp: 2, fsdp: 1, cp: 1);
        var options = new CollectiveOptions { MaxMessageBytes = 4096 };
        var transports = InProcessTransport.Create(2).Select(t => new Recording(t)).ToArray();
        var ranks = Mesh.OnEveryRank(2, r => new RankTrainer(config, r, transports[r], Mesh.Source(config), collectives: options));
        try
        {
            Mesh.OnEveryRank(2, r => ranks[r].Step());
        }
        finally
        {
            foreach (var r in ranks) r.Dispose();
        }
        Assert.All(transports, t => Assert.InRange(t.Largest, 1, options.MaxMessageBytes));
    }

    [Fact]
    public void Measured_balance_gives_every_rank_rank_0_s_table_and_so_the_same_plans()
    {
        var config = Config(dp: 2, fsdp: 1, cp: 2, balance: "measured");
        using var mesh = Mesh.Start(config);
        var costs = mesh.Ranks.Select(r => Assert.IsType<LookupCostModel>(r.Cost)).ToArray();
        Assert.Equal(MeasuredCost.Lengths, costs[0].Lengths.Count);
        long[] probes = [50, 200, 1000, 5000];
        Assert.All(costs, c => Assert.Equal(probes.Select(costs[0].Cost), probes.Select(c.Cost)));
        var source = Mesh.Source(config);
        var plans = mesh.Ranks.Select(r => new BatchPlanner(config, source, r.Cost).Plan(1, default)).ToArray();
        Assert.All(plans, p =>
        {
            Assert.Equal(plans[0].Samples, p.Samples);
            Assert.Equal(plans[0].Assignment, p.Assignment);
        });
        var metrics = mesh.Run(r => r.Step());
        Assert.All(metrics, m => Assert.Equal(metrics[0].Loss, m.Loss));
    }

    [Fact]
    public void A_rank_refuses_a_transport_of_another_mesh_and_another_rank_s_snapshot()
    {
        var config = Config(dp: 2, fsdp: 1, cp: 1);
        var single = InProcessTransport.Create(1)[0];
        Assert.Equal("transport", Assert.Throws<ArgumentException>(() => new RankTrainer(config, 0, single, Mesh.Source(config))).ParamName);
        using var mesh = Mesh.Start(config);
        using var snapshot = mesh.Ranks[1].Snapshot();
        Assert.Equal("snapshot", Assert.Throws<ArgumentException>(() => mesh.Ranks[0].Restore(snapshot)).ParamName);
    }

    [Fact]
    public async Task A_rank_trains_on_a_curated_dataset_from_the_store()
    {
        var store = new LocalArtefactStore(Path.Combine(dir.Path, "store"));
        var world = new WorldGenerator(new WorldOptions { Seed = 8, Sizes = [(64, 48)], FrameCounts = [9] });
        var samples = Enumerable.Range(0, 6).Select(i =>
        {
            var clip = world.Clip(i);
            var frames = clip.Render();
            var info = new SampleInfo($"c{i}", frames.Width, frames.Height, frames.FrameCount, frames.Fps, "4:3", 20, i, clip.Caption.Detailed, clip.Caption.Short, "raw", 0);
            return (info, (Func<CancellationToken, Task<VideoFrames>>)(_ => Task.FromResult(frames)));
        }).ToList();
        await new DatasetWriter(store).WriteAsync("clips", 1, samples);
        var config = (Config(dp: 1, fsdp: 1, cp: 1) with { Data = new DataConfig { Source = DataConfig.Dataset, Name = "clips" } }).Validate();
        using var trainer = await RankTrainer.CreateAsync(config, 0, InProcessTransport.Create(1)[0], store);
        var metrics = trainer.Step();
        Assert.True(double.IsFinite(metrics.Loss) && metrics.Loss > 0, $"loss {metrics.Loss}");
        Assert.Equal(new DataCursor(4, 0), trainer.Cursor);
        var words = samples.SelectMany(s => Tokenizer.Words($"{s.info.Caption} {s.info.ShortCaption}")).ToHashSet();
        Assert.All(trainer.Model.Tokenizer.Vocabulary, w => Assert.Contains(w, words)); // the tokenizer comes from the dataset's captions
    }

    [Fact]
    public void A_rank_computes_on_the_device_it_is_given()
    {
        var config = Config(dp: 1, fsdp: 1, cp: 1);
        // The meta device holds shapes and no data: whatever reached it was moved there, not left on the CPU by default.
        using (var meta = new RankTrainer(config, 0, InProcessTransport.Create(1)[0], Mesh.Source(config), device: TorchSharp.torch.META))
        {
            Assert.Equal(TorchSharp.DeviceType.META, meta.Device.type);
            Assert.All(meta.Model.Vae.parameters(), p => Assert.Equal(TorchSharp.DeviceType.META, p.device_type));
            Assert.ThrowsAny<Exception>(() => meta.Snapshot()); // shards and AdamW state are there too: no host copy of meta data
        }
        // A CPU device object takes the path a CUDA one would and trains as the default does.
        var cpu = new TorchSharp.torch.Device(TorchSharp.DeviceType.CPU);
        using var given = new RankTrainer(config, 0, InProcessTransport.Create(1)[0], Mesh.Source(config), device: cpu);
        using var plain = RankTrainer.SingleRank(config, Mesh.Source(config));
        Assert.Same(cpu, given.Device);
        Assert.Equal(plain.Step().Loss, given.Step().Loss);
    }

    public void Dispose() => dir.Dispose();
}
