using Seaweed.Model;
using Seaweed.Training.Ranks;
using Seaweed.Training.Samples;
using Seaweed.Training.Vae;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seaweed.Training.Tests.Vae;

public sealed class VaeTrainerTests(ITestOutputHelper output)
{
    private static Dictionary<string, Tensor> State(VaeTrainer trainer) =>
        trainer.CheckpointTensors().ToDictionary(kv => kv.Key, kv => kv.Value);

    private static bool Same(Tensor a, Tensor b) => a.dtype == b.dtype && a.shape.SequenceEqual(b.shape) && eq(a, b).all().item<bool>();

    /// <summary>L1 of the posterior-mean reconstruction of fixed clips.</summary>
    private static double L1(VaeTrainer trainer, Tensor video)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var vae = trainer.Model.Vae;
        return nn.functional.l1_loss(vae.Decode(vae.Encode(video).Mean), video).item<float>();
    }

    [Fact]
    public void The_loss_falls_over_a_few_dozen_steps()
    {
        using var dir = TestRuns.ModelDirectory();
        var stages = """[ { "name": "images", "steps": 30, "images": { "resolutions": [32] } } ]""";
        using var trainer = new VaeTrainer(VaeRuns.Config(dir, ganStart: 25, stages: stages));
        using var probe = trainer.Batches.Take(0, new DataCursor(1000, 0)).Video;
        double before = L1(trainer, probe);
        var metrics = new List<VaeStepMetrics>();
        while (!trainer.IsComplete) metrics.Add(trainer.Step());
        foreach (var m in metrics.Where((_, i) => i % 5 == 0)) output.WriteLine($"{m.Step}: {m.Losses} {m.Seconds:F3} s");
        double after = L1(trainer, probe);
        output.WriteLine($"L1 of unseen clips {before:F4} → {after:F4}");
        Assert.True(after < 0.7 * before, $"L1 of unseen clips {before:F4} → {after:F4}");
        Assert.True(metrics.Skip(20).Take(5).Average(m => m.Losses.Ssim) > metrics.Take(5).Average(m => m.Losses.Ssim));
        Assert.All(metrics.Take(25), m => Assert.Equal((false, 0.0, 0.0), (m.Gan, m.Losses.Generator, m.Losses.Discriminator)));
        Assert.All(metrics.Skip(25), m => Assert.True(m.Gan && m.Losses.Discriminator > 0));
    }

    [Theory]
    [InlineData("tiny", 8, 16)]
    [InlineData("tiny-64x", 16, 48)]
    public void Both_compression_variants_train(string preset, int spatial, int channels)
    {
        using var dir = new TempDirectory();
        var stages = """[ { "name": "images", "steps": 2, "images": { "resolutions": [32] } } ]""";
        var config = VaeTrainingConfig.FromJson(VaeRuns.Json("run", ganStart: 1, stages: stages).Replace("\"model.json\"", $"\"{preset}\""), dir.Path);
        using var trainer = new VaeTrainer(config);
        var metrics = new[] { trainer.Step(), trainer.Step() };
        Assert.All(metrics, m => Assert.True(double.IsFinite(m.Losses.Total) && m.GradNorm > 0));
        Assert.True(metrics[1].Gan);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var z = trainer.Model.Vae.Encode(trainer.Batches.Take(0, default).Video).Mean;
        Assert.Equal(channels, z.shape[1]);
        Assert.Equal(metrics[0].Shape.Height / spatial, z.shape[3]);
    }

    [Fact]
    public void A_resumed_run_equals_the_uninterrupted_one_bit_for_bit()
    {
        using var dir = TestRuns.ModelDirectory();
        var config = VaeRuns.Config(dir, ganStart: 1);
        using var uninterrupted = new VaeTrainer(config);
        for (int i = 0; i < 3; i++) uninterrupted.Step();
        uninterrupted.SaveCheckpoint();
        var shapes = new List<VaeBatchShape>();
        while (!uninterrupted.IsComplete) shapes.Add(uninterrupted.Step().Shape);
        Assert.Contains(shapes, s => s.Modality == Modality.Video);
        Assert.Contains(shapes, s => s.Modality == Modality.Image);

        using var resumed = new VaeTrainer(config);
        var skipped = new List<SkippedCheckpoint>();
        Assert.True(resumed.RestoreLatest(skipped));
        Assert.Empty(skipped);
        Assert.Equal(3, resumed.CompletedSteps);
        while (!resumed.IsComplete) resumed.Step();

        using var scope = NewDisposeScope();
        var a = State(uninterrupted);
        var b = State(resumed);
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        Assert.Contains("image_discriminator.layers.0.norm.u", a.Keys);
        Assert.Contains("optimizer.video_discriminator.m.0", a.Keys);
        foreach (var (key, t) in a) Assert.True(Same(t, b[key]), $"{key} differs");
    }

    [Fact]
    public void A_truncated_checkpoint_is_skipped_and_the_previous_one_used()
    {
        using var dir = TestRuns.ModelDirectory();
        var config = VaeRuns.Config(dir);
        using (var trainer = new VaeTrainer(config))
        {
            for (int i = 0; i < 2; i++) trainer.Step();
            trainer.SaveCheckpoint();
            for (int i = 0; i < 2; i++) trainer.Step();
            string newest = trainer.SaveCheckpoint();
            var bytes = File.ReadAllBytes(newest);
            File.WriteAllBytes(newest, bytes[..(bytes.Length - 100)]);
        }
        Assert.Equal([2L, 4L], VaeCheckpoint.Steps(config.OutputDirectory));
        using var resumed = new VaeTrainer(config);
        var skipped = new List<SkippedCheckpoint>();
        Assert.True(resumed.RestoreLatest(skipped));
        Assert.Equal(2, resumed.CompletedSteps);
        var skip = Assert.Single(skipped);
        Assert.Equal(VaeCheckpoint.PathOf(config.OutputDirectory, 4), skip.Path);
        Assert.Contains("truncated", skip.Reason);
    }

    [Fact]
    public void Only_the_newest_checkpoints_are_kept_and_another_config_cannot_resume_them()
    {
        using var dir = TestRuns.ModelDirectory();
        var config = VaeRuns.Config(dir);
        using (var trainer = new VaeTrainer(config))
            for (int i = 0; i < 3; i++)
            {
                trainer.Step();
                trainer.SaveCheckpoint();
            }
        Assert.Equal([2L, 3L], VaeCheckpoint.Steps(config.OutputDirectory));
        using var other = new VaeTrainer(VaeRuns.Config(dir, ganStart: 5));
        Assert.Equal("config", Assert.Throws<ConfigException>(() => other.RestoreLatest([])).Field);
        Assert.Equal(0, other.CompletedSteps);
    }

    [Fact]
    public void The_exported_model_loads_and_seaweed_train_takes_its_vae()
    {
        using var dir = TestRuns.ModelDirectory();
        var config = VaeRuns.Config(dir);
        using var trainer = new VaeTrainer(config);
        for (int i = 0; i < 2; i++) trainer.Step();
        var (directory, scale) = trainer.ExportModel();
        Assert.True(scale > 0 && double.IsFinite(scale));
        using var loaded = SeaweedModel.Load(directory);
        Assert.Equal(scale, loaded.Config.Vae.LatentScale);
        using var scope = NewDisposeScope();
        var trained = trainer.Model.Vae.state_dict();
        foreach (var (name, t) in loaded.Vae.state_dict()) Assert.True(Same(t, trained[name]), name);

        // The DiT stage names the directory as its model: it starts from these VAE weights, frozen.
        var dit = TrainingConfig.FromJson($$"""
            { "model": "{{directory.Replace("\\", "/")}}", "steps": 2, "globalBatch": 1,
              "curriculum": [ { "name": "only", "fraction": 1.0, "images": { "resolutions": [32] } } ],
              "optimizer": { "warmupSteps": 1 } }
            """);
        using var model = TrainingModel.Create(dit, new WorldSampleSource(0, 5));
        Assert.Equal(scale, model.Config.Vae.LatentScale);
        foreach (var (name, t) in model.Vae.state_dict()) Assert.True(Same(t, trained[name]), name);
        Assert.All(model.Vae.parameters(), p => Assert.False(p.requires_grad));
    }
}
