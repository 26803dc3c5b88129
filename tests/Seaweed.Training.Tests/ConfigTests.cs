using Seaweed.Model;

namespace Seaweed.Training.Tests;

public class ConfigTests
{
    [Fact]
    public void Example_config_for_the_tiny_preset_loads_and_validates()
    {
        var config = TrainingConfig.Load(TestRuns.ExampleConfigPath);
        Assert.Equal("tiny", config.ModelConfig.Name);
        Assert.Equal(4, config.Parallel.Ranks);
        Assert.Equal(4, config.Curriculum!.Count);
        Assert.Null(config.Curriculum[0].Videos);
        Assert.Equal(0.2, config.Tasks.I2v);
        Assert.Equal("cosine", config.Optimizer.Schedule);
    }

    [Fact]
    public void Json_round_trip_keeps_the_config_and_its_hash()
    {
        var config = TrainingConfig.Load(TestRuns.ExampleConfigPath);
        var again = TrainingConfig.FromJson(config.ToJson());
        Assert.Equal(config.ToJson(), again.ToJson());
        Assert.Equal(config.Hash, again.Hash);
        Assert.NotEqual(config.Hash, (config with { Seed = 2 }).Validate().Hash);
    }

    [Fact]
    public void Omitted_curriculum_takes_the_default_stages_of_the_model()
    {
        var config = TrainingConfig.FromJson("""{"model": "tiny"}""");
        Assert.Equal(Curriculum.Default(Presets.Tiny).Select(s => s.Name), config.Curriculum!.Select(s => s.Name));
    }

    [Fact]
    public void Model_may_be_a_config_file_relative_to_the_training_config()
    {
        using var dir = TestRuns.ModelDirectory();
        var path = Path.Combine(dir.Path, "train.json");
        File.WriteAllText(path, """{"model": "model.json", "curriculum": [{"name": "s", "fraction": 1, "images": {"resolutions": [32]}}]}""");
        var config = TrainingConfig.Load(path);
        Assert.Equal(TestRuns.Model.ToJson(), config.ModelConfig.ToJson());
        Assert.Null(config.ModelSource.Directory);
    }

    [Fact]
    public void A_bad_model_file_names_the_field_inside_it()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(Path.Combine(dir.Path, "bad.json"), """{"dit": {"heads": 3}}""");
        var e = Assert.Throws<ConfigException>(() => TrainingConfig.FromJson("""{"model": "bad.json"}""", dir.Path));
        Assert.Equal("model.dit.heads", e.Field);
    }

    public static TheoryData<string, string> BadConfigs => new()
    {
        { """{"modle": "tiny"}""", "modle" },
        { """{"optimizer": {"lrr": 1}}""", "optimizer.lrr" },
        { """{"curriculum": [{"name": "a", "fraction": 1, "images": {"resolution": [32]}}]}""", "curriculum[0].images.resolution" },
        { """{"model": "huge"}""", "model" },
        { """{"parallel": {"ranks": 4, "dp": 2, "fsdp": 1, "cp": 1}}""", "parallel.ranks" },
        { """{"parallel": {"ranks": 3, "dp": 1, "fsdp": 1, "cp": 3}}""", "parallel.cp" },
        { """{"parallel": {"ranks": 0, "dp": 0}}""", "parallel.ranks" },
        { """{"steps": 0}""", "steps" },
        { """{"balance": "fast"}""", "balance" },
        { """{"globalBatch": 2, "parallel": {"ranks": 4, "dp": 4}}""", "globalBatch" },
        { """{"curriculum": []}""", "curriculum" },
        { """{"curriculum": [{"name": "a", "fraction": 0.5, "images": {"resolutions": [32]}}]}""", "curriculum" },
        { """{"curriculum": [{"name": "a", "fraction": 1}]}""", "curriculum[0]" },
        { """{"curriculum": [{"name": "a", "fraction": 1, "images": {"resolutions": [8]}}]}""", "curriculum[0].images.resolutions[0]" },
        { """{"curriculum": [{"name": "a", "fraction": 1, "videos": {"resolution": 32, "frames": [8]}}]}""", "curriculum[0].videos.frames[0]" },
        { """{"curriculum": [{"name": "a", "fraction": 1, "images": {"resolutions": [32]}, "videos": {"resolution": 32, "frames": [9]}}]}""", "curriculum[0].imageShare" },
        { """{"curriculum": [{"name": "a", "fraction": 1, "images": {"resolutions": [32]}, "imageShare": 0.5}]}""", "curriculum[0].imageShare" },
        { """{"steps": 3, "optimizer": {"warmupSteps": 0}, "curriculum": [{"name": "a", "fraction": 0.9, "images": {"resolutions": [32]}}, {"name": "b", "fraction": 0.1, "images": {"resolutions": [32]}}]}""", "curriculum[1].fraction" },
        { """{"tasks": {"t2v": 0.5, "i2v": 0.2, "v2v": 0.1}}""", "tasks" },
        { """{"tasks": {"t2v": 1.2, "i2v": -0.2, "v2v": 0}}""", "tasks.t2v" },
        { """{"textDropout": 1.5}""", "textDropout" },
        { """{"optimizer": {"lr": 0}}""", "optimizer.lr" },
        { """{"optimizer": {"betas": [0.9]}}""", "optimizer.betas" },
        { """{"optimizer": {"betas": [0.9, 1.0]}}""", "optimizer.betas[1]" },
        { """{"optimizer": {"schedule": "step"}}""", "optimizer.schedule" },
        { """{"optimizer": {"lr": 1e-4, "minLr": 1e-3}}""", "optimizer.minLr" },
        { """{"steps": 10, "optimizer": {"warmupSteps": 11}}""", "optimizer.warmupSteps" },
        { """{"optimizer": {"gradClip": "NaN"}}""", "optimizer.gradClip" },
        { """{"data": {"source": "web"}}""", "data.source" },
        { """{"data": {"source": "dataset"}}""", "data.name" },
        { """{"data": {"source": "dataset", "name": "a/b"}}""", "data.name" },
        { """{"checkpoints": {"every": 0}}""", "checkpoints.every" },
        { """{"checkpoints": {"keep": 0}}""", "checkpoints.keep" },
        { """{"activationCheckpointing": {"shared": "gpu"}}""", "activationCheckpointing.shared" },
    };

    [Theory]
    [MemberData(nameof(BadConfigs))]
    public void Bad_config_is_rejected_naming_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => TrainingConfig.FromJson(json));
        Assert.Equal(field, e.Field);
        Assert.StartsWith(field, e.Message);
    }
}
