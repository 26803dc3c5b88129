using Seaweed.Model;
using Seaweed.Testing;
using Seaweed.Training.Vae;

namespace Seaweed.Training.Tests.Vae;

public sealed class VaeConfigTests
{
    [Theory]
    [InlineData("vae-tiny.json", 8, 16)]
    [InlineData("vae-tiny-64x.json", 16, 48)]
    public void The_example_configs_train_the_two_compression_variants(string file, int spatial, int channels)
    {
        var config = VaeTrainingConfig.Load(Path.Combine(Repository.Root(), "configs", file));
        Assert.Equal((spatial, channels), (config.ModelSource.Config.Vae.SpatialDownsample, config.ModelSource.Config.Vae.LatentChannels));
        Assert.True(config.Stages.Count >= 2);
        Assert.Null(config.Stages[0].Videos);
        Assert.Contains(config.Stages.Skip(1), s => s.Videos is not null);
        Assert.True(config.Gan.Start > 0 && config.Gan.Start < config.Steps);
        Assert.True(Path.IsPathRooted(config.OutputDirectory));
    }

    [Theory]
    [InlineData("\"lpips\": 1.0", "loss.lpips")]
    [InlineData("\"spectral\": true", "gan.spectral")]
    public void An_unknown_key_is_an_error_naming_it(string key, string field)
    {
        using var dir = TestRuns.ModelDirectory();
        string section = field.Split('.')[0];
        string json = VaeRuns.Json("run").Replace($"\"{section}\": {{ ", $"\"{section}\": {{ {key}, ");
        var e = Assert.Throws<ConfigException>(() => VaeTrainingConfig.FromJson(json, dir.Path));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void An_unknown_top_level_key_is_an_error_naming_it()
    {
        using var dir = TestRuns.ModelDirectory();
        var e = Assert.Throws<ConfigException>(() => VaeRuns.Config(dir, extra: ", \"epochs\": 3"));
        Assert.Equal("epochs", e.Field);
    }

    [Theory]
    [InlineData("""[ { "name": "v", "steps": 2, "videos": [ { "frames": 8, "resolution": 32 } ] } ]""", "stages[0].videos[0].frames")]
    [InlineData("""[ { "name": "v", "steps": 2, "videos": [ { "frames": 1, "resolution": 32 } ] } ]""", "stages[0].videos[0].frames")]
    [InlineData("""[ { "name": "i", "steps": 2, "images": { "resolutions": [16] } } ]""", "stages[0].images.resolutions[0]")]
    [InlineData("""[ { "name": "i", "steps": 0, "images": { "resolutions": [32] } } ]""", "stages[0].steps")]
    [InlineData("""[ { "name": "i", "steps": 2 } ]""", "stages[0]")]
    [InlineData("""[ { "name": "m", "steps": 2, "images": { "resolutions": [32] }, "videos": [ { "frames": 5, "resolution": 32 } ] } ]""", "stages[0].imageShare")]
    [InlineData("""[ { "name": "i", "steps": 2, "batch": 0, "images": { "resolutions": [32] } } ]""", "stages[0].batch")]
    [InlineData("[]", "stages")]
    public void Bad_stages_name_the_field(string stages, string field)
    {
        using var dir = TestRuns.ModelDirectory();
        Assert.Equal(field, Assert.Throws<ConfigException>(() => VaeRuns.Config(dir, stages: stages)).Field);
    }

    [Theory]
    [InlineData("\"batch\": 2", "\"batch\": 0", "batch")]
    [InlineData("\"output\": \"run\"", "\"output\": \"\"", "output")]
    [InlineData("\"ssim\": 0.5", "\"ssim\": -1", "loss.ssim")]
    [InlineData("\"channels\": [8, 16]", "\"channels\": []", "gan.channels")]
    [InlineData("\"powerIterations\": 1", "\"powerIterations\": 0", "gan.powerIterations")]
    [InlineData("\"warmupSteps\": 1", "\"warmupSteps\": 100", "optimizer.warmupSteps")]
    [InlineData("\"model\": \"model.json\"", "\"model\": \"nowhere.json\"", "model")]
    public void Bad_values_name_the_field(string from, string to, string field)
    {
        using var dir = TestRuns.ModelDirectory();
        string json = VaeRuns.Json("run").Replace(from, to);
        Assert.NotEqual(VaeRuns.Json("run"), json);
        Assert.Equal(field, Assert.Throws<ConfigException>(() => VaeTrainingConfig.FromJson(json, dir.Path)).Field);
    }

    [Fact]
    public void The_hash_changes_with_any_setting()
    {
        using var dir = TestRuns.ModelDirectory();
        var a = VaeRuns.Config(dir);
        Assert.Equal(a.Hash, VaeRuns.Config(dir).Hash);
        Assert.NotEqual(a.Hash, VaeRuns.Config(dir, ganStart: 3).Hash);
        Assert.Equal(6, a.Steps);
    }
}
