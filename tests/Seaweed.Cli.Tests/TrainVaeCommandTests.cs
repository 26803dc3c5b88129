using System.Text.Json;
using Seaweed.Model;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class TrainVaeCommandTests : IDisposable
{
    /// <summary>A model small enough for CPU steps in a fraction of a second: 5×32×32 clips.</summary>
    public static readonly SeaweedConfig Model = new SeaweedConfig
    {
        Name = "test-vae",
        Video = new VideoSize(5, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 32, Layers = 2, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16 },
        Text = new TextEncoderConfig { VocabSize = 128, UnknownBuckets = 8, MaxTokens = 8, Hidden = 16, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();

    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    /// <summary>Two image steps then one video step, the GAN from step 2, a checkpoint every 2 steps.</summary>
    public static string Config(string root, string name = "vae", string extra = "")
    {
        File.WriteAllText(Path.Combine(root, "model.json"), Model.ToJson());
        string path = Path.Combine(root, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "model": "model.json", "seed": 2, "batch": 1,
              "stages": [
                { "name": "images", "steps": 2, "images": { "resolutions": [32] } },
                { "name": "videos", "steps": 1, "videos": [ { "frames": 5, "resolution": 32 } ] }
              ],
              "gan": { "start": 2, "channels": [8, 16] },
              "optimizer": { "lr": 1e-3, "warmupSteps": 1 },
              "checkpoints": { "every": 2, "keep": 2 },
              "output": "{{name}}-run"{{extra}}
            }
            """);
        return path;
    }

    [Fact]
    public void Trains_exports_a_model_and_a_second_start_needs_resume()
    {
        string config = Config(state.Root);
        var (code, stdout, stderr) = Cli.Seaweed("train", "vae", "--config", config, "--stop-after", "2", "--json");
        Assert.True(code == 0, stderr);
        string output = Path.Combine(state.Root, "vae-run");
        using (var doc = JsonDocument.Parse(stdout))
        {
            var r = doc.RootElement;
            Assert.Equal((2, 3), (r.GetProperty("step").GetInt64(), r.GetProperty("steps").GetInt64()));
            Assert.Equal(JsonValueKind.Null, r.GetProperty("resumedFrom").ValueKind);
            Assert.Equal(["images"], r.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            Assert.Equal(Path.Combine(output, "model"), r.GetProperty("model").GetString());
            Assert.Equal(Path.Combine(output, "checkpoints", "step-000000002.safetensors"), r.GetProperty("checkpoint").GetString());
            Assert.True(r.GetProperty("secondsPerStep").GetDouble() > 0);
            Assert.True(r.GetProperty("latentScale").GetDouble() > 0);
            Assert.True(r.GetProperty("final").GetProperty("l1").GetDouble() > 0);
        }
        // The checkpoint line names the step, the stage and shape, the losses and the speed.
        Assert.Contains("step 2/3, images (image 1×32x32), loss", stderr);
        Assert.Contains("s/step; checkpoint", stderr);
        Assert.True(File.Exists(Path.Combine(output, "model", "model.safetensors")));

        SiloState.AssertBadInput(Cli.Seaweed("train", "vae", "--config", config, "--json"), "output");

        var resumed = Cli.Seaweed("train", "vae", "--config", config, "--resume", "--json");
        Assert.True(resumed.Code == 0, resumed.Err);
        using var done = JsonDocument.Parse(resumed.Out);
        var d = done.RootElement;
        Assert.Equal((2, 3), (d.GetProperty("resumedFrom").GetInt64(), d.GetProperty("step").GetInt64()));
        Assert.Equal(["videos"], d.GetProperty("stages").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
        // From step 2 on the discriminators train too.
        Assert.True(d.GetProperty("final").GetProperty("discriminator").GetDouble() > 0);
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_field()
    {
        SiloState.AssertBadInput(Cli.Seaweed("train", "vae", "--config", Path.Combine(state.Root, "missing.json")), "--config");
        SiloState.AssertBadInput(Cli.Seaweed("train", "vae", "--config", Config(state.Root, "typo", ", \"discriminator\": {}")), "discriminator");
        SiloState.AssertBadInput(Cli.Seaweed("train", "vae", "--config", Config(state.Root, "fresh"), "--resume"), "resume");
        SiloState.AssertBadInput(Cli.Seaweed("train", "vae", "--config", Config(state.Root, "long"), "--stop-after", "4"), "--stop-after");
    }
}
