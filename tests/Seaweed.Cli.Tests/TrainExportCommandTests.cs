using System.Text.Json;
using Seaweed.Model;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class TrainExportCommandTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    private string Store => Path.Combine(state.Root, "artefacts");

    private string Config(string name, string parallel)
    {
        string path = Path.Combine(state.Root, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "model": "tiny", "parallel": {{parallel}}, "steps": 3, "globalBatch": 2, "seed": 1,
              "curriculum": [ { "name": "only", "fraction": 1.0, "images": { "resolutions": [32] } } ],
              "optimizer": { "lr": 1e-3, "warmupSteps": 1 },
              "checkpoints": { "every": 3, "keep": 1 }
            }
            """);
        return path;
    }

    private (string Config, JsonDocument Report, SeaweedModel Model) TrainAndExport(string name, string parallel)
    {
        string config = Config(name, parallel);
        var train = Cli.Seaweed("train", "--config", config, "--store", Store, "--json");
        Assert.True(train.Code == 0, train.Err);
        string output = Path.Combine(state.Root, $"{name}-model");
        var export = Cli.Seaweed("train", "export", "--config", config, "--store", Store, "--out", output, "--json");
        Assert.True(export.Code == 0, export.Err);
        return (config, JsonDocument.Parse(export.Out), SeaweedModel.Load(output));
    }

    private static Dictionary<string, float[]> Weights(SeaweedModel model, string prefix) =>
        model.state_dict().Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).ToDictionary(p => p.Key, p => p.Value.data<float>().ToArray());

    [Fact]
    public void Fsdp_shards_reassemble_into_the_weights_a_replicated_run_trains()
    {
        var (config, report, sharded) = TrainAndExport("fsdp", """{ "ranks": 2, "fsdp": 2 }""");
        var (_, replicatedReport, replicated) = TrainAndExport("dp", """{ "ranks": 2, "dp": 2 }""");
        using (report)
        using (replicatedReport)
        using (sharded)
        using (replicated)
        {
            var r = report.RootElement;
            Assert.Equal(("fsdp", 3L, "only"), (r.GetProperty("runId").GetString(), r.GetProperty("step").GetInt64(), r.GetProperty("stage").GetString()));
            Assert.Equal([1L, 2L, 3L], r.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("step").GetInt64()));
            Assert.All(r.GetProperty("history").EnumerateArray(), h => Assert.True(double.IsFinite(h.GetProperty("loss").GetDouble())));
            Assert.True(r.GetProperty("weightBytes").GetInt64() > 1_000_000);

            // The same samples and steps split two ways: FSDP halves of every unit, or whole replicas. A shard put in
            // the wrong place, or left out, would differ by the size of a weight, not by float rounding.
            var a = Weights(sharded, "dit.");
            var b = Weights(replicated, "dit.");
            Assert.Equal(b.Keys.Order(), a.Keys.Order());
            double worst = a.Max(p => p.Value.Zip(b[p.Key], (x, y) => Math.Abs(x - y)).DefaultIfEmpty(0).Max());
            Assert.True(worst < 1e-4, $"largest difference {worst}");

            // Trained, not initial: a fresh model from the run's seed differs after three steps at lr 1e-3.
            TorchSharp.torch.manual_seed(1);
            using var fresh = new SeaweedModel(Presets.Tiny, sharded.Tokenizer);
            var initial = Weights(fresh, "dit.blocks.0.");
            Assert.Contains(initial, p => !p.Value.SequenceEqual(a[p.Key]));
        }

        SiloState.AssertBadInput(Cli.Seaweed("train", "export", "--config", config, "--store", Store, "--out", Path.Combine(state.Root, "fsdp-model")), "--out");
    }

    [Fact]
    public void A_run_that_never_ran_is_bad_input_naming_the_run()
    {
        string config = Config("never", """{ "ranks": 1 }""");
        SiloState.AssertBadInput(Cli.Seaweed("train", "export", "--config", config, "--store", Store, "--out", Path.Combine(state.Root, "out")), "--run");
        SiloState.AssertBadInput(Cli.Seaweed("train", "export", "--config", Path.Combine(state.Root, "none.json"), "--out", Path.Combine(state.Root, "out")), "--config");
    }
}
