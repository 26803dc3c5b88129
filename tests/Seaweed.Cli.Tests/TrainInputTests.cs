namespace Seaweed.Cli.Tests;

/// <summary><c>seaweed train</c> refuses a config that cannot run: exit 2 and one line naming the field.</summary>
[Collection(Cli.Environment)]
public sealed class TrainInputTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    private string Config(string name, string parallel, string data)
    {
        string path = Path.Combine(state.Root, $"{name}.json");
        File.WriteAllText(path, $$"""
            {
              "model": "tiny", "parallel": {{parallel}}, "steps": 1, "globalBatch": 1, "seed": 1,
              "curriculum": [ { "name": "only", "fraction": 1.0, "images": { "resolutions": [32] } } ],
              "optimizer": { "lr": 3e-4, "warmupSteps": 1 },
              "data": {{data}}
            }
            """);
        return path;
    }

    [Fact]
    public void A_dataset_missing_from_the_store_is_named()
    {
        string config = Config("no-dataset", """{ "ranks": 1 }""", """{ "source": "dataset", "name": "nowhere" }""");
        var result = Cli.Seaweed("train", "--config", config, "--store", Path.Combine(state.Root, "artefacts"), "--json");
        SiloState.AssertBadInput(result, "data.name");
        Assert.Contains("nowhere", result.Err);
    }

    [Fact]
    public void A_cp_that_does_not_divide_the_heads_is_named()
    {
        // The tiny DiT has 4 attention heads.
        string config = Config("cp-3", """{ "ranks": 3, "cp": 3 }""", """{ "source": "world" }""");
        var result = Cli.Seaweed("train", "--config", config, "--store", Path.Combine(state.Root, "artefacts"), "--json");
        SiloState.AssertBadInput(result, "parallel.cp");
        Assert.Contains("heads", result.Err);
    }
}
