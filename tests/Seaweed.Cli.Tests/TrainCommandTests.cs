using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class TrainCommandTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    private string Store => Path.Combine(state.Root, "artefacts");

    /// <summary>A tiny run: one image stage, three steps, a checkpoint after steps 2 and 3.</summary>
    private string Config(string name, string parallel = """{ "ranks": 2, "dp": 2 }""", string extra = "")
    {
        string path = Path.Combine(state.Root, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "model": "tiny", "parallel": {{parallel}}, "steps": 3, "globalBatch": 2, "seed": 1,
              "curriculum": [ { "name": "only", "fraction": 1.0, "images": { "resolutions": [32] } } ],
              "optimizer": { "lr": 3e-4, "warmupSteps": 1 },
              "checkpoints": { "every": 2, "keep": 2 }{{extra}}
            }
            """);
        return path;
    }

    [Fact]
    public void Trains_on_two_ranks_and_a_second_start_needs_resume()
    {
        string config = Config("tiny-run");
        var (code, stdout, stderr) = Cli.Seaweed("train", "--config", config, "--ranks", "2", "--store", Store, "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var r = doc.RootElement;
            Assert.Equal("tiny-run", r.GetProperty("runId").GetString());
            Assert.Equal("completed", r.GetProperty("phase").GetString());
            Assert.Equal(3, r.GetProperty("step").GetInt64());
            Assert.Equal(3, r.GetProperty("checkpointStep").GetInt64());
            Assert.True(File.Exists(r.GetProperty("checkpoint").GetString()));
            Assert.Equal(0, r.GetProperty("restarts").GetInt32());
            Assert.Equal([0, 1], r.GetProperty("ranks").EnumerateArray().Select(x => x.GetProperty("rank").GetInt32()));
            var stage = Assert.Single(r.GetProperty("stages").EnumerateArray());
            Assert.Equal(("only", 3), (stage.GetProperty("name").GetString(), stage.GetProperty("steps").GetInt32()));
            Assert.True(r.GetProperty("tokensPerSecond").GetDouble() > 0);
            Assert.True(double.IsFinite(r.GetProperty("finalLoss").GetDouble()));
        }
        // The checkpoints after steps 2 and 3, two rank shards each, committed by their manifests.
        var steps = Path.Combine(Store, "checkpoints", "tiny-run");
        Assert.Equal(["step-000000000002", "step-000000000003"], Directory.GetDirectories(steps).Select(Path.GetFileName).Order());
        Assert.Equal(3, Directory.GetFiles(Path.Combine(steps, "step-000000000003")).Length);

        SiloState.AssertBadInput(Cli.Seaweed("train", "--config", config, "--store", Store, "--json"), "--resume");

        var resumed = Cli.Seaweed("train", "--config", config, "--store", Store, "--resume", "--json");
        Assert.True(resumed.Code == 0, resumed.Err);
        using var done = JsonDocument.Parse(resumed.Out);
        Assert.Equal(3, done.RootElement.GetProperty("step").GetInt64());
    }

    [Theory]
    [InlineData("missing", "--config")]
    [InlineData("bad-key", "stepz")]
    [InlineData("ranks", "--ranks")]
    [InlineData("silos", "--silos")]
    [InlineData("resume", "--resume")]
    [InlineData("run", "--run")]
    public void Bad_input_exits_with_one_line_naming_the_field(string fault, string expected)
    {
        string[] args = fault switch
        {
            "missing" => ["--config", Path.Combine(state.Root, "none.json")],
            "bad-key" => ["--config", Config("bad", extra: """, "stepz": 3""")],
            "ranks" => ["--config", Config("fsdp", parallel: """{ "ranks": 2, "fsdp": 2 }"""), "--ranks", "3"],
            "silos" => ["--config", Config("silos"), "--silos", "3"],
            "resume" => ["--config", Config("never"), "--resume"],
            _ => ["--config", Config("named"), "--run", "a/b"],
        };
        SiloState.AssertBadInput(Cli.Seaweed(["train", "--store", Store, "--json", .. args]), expected);
    }
}
