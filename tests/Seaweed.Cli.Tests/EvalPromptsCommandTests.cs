using System.Text.Json;
using Seaweed.Tests.Shared;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class EvalPromptsCommandTests : IDisposable
{
    private readonly SiloState state = new();
    private readonly string model;

    public EvalPromptsCommandTests() => model = TinyModel.Save(Path.Combine(state.Root, "model"));

    public void Dispose() => state.Dispose();

    private static void AssertAccuracy(JsonElement a, int objectsAtLeast)
    {
        Assert.True(a.GetProperty("objects").GetInt32() >= objectsAtLeast, a.ToString());
        foreach (var name in new[] { "colour", "shape", "motion", "all" }) Assert.InRange(a.GetProperty(name).GetDouble(), 0, 1);
        Assert.True(a.GetProperty("all").GetDouble() <= a.GetProperty("motion").GetDouble());
    }

    [Fact]
    public void Runs_end_to_end_on_a_tiny_model_and_prints_the_figures()
    {
        var (code, stdout, stderr) = Cli.Seaweed("eval", "prompts", "--model", model, "--n", "2", "--steps", "2", "--i2v", "1", "--seed", "3", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(("heldout", 2, 2, 3L), (r.GetProperty("set").GetString(), r.GetProperty("prompts").GetInt32(), r.GetProperty("steps").GetInt32(), r.GetProperty("seed").GetInt64()));
        Assert.Equal((9, 32, 32), (r.GetProperty("size").GetProperty("frames").GetInt32(), r.GetProperty("size").GetProperty("height").GetInt32(), r.GetProperty("size").GetProperty("width").GetInt32()));
        var t2v = r.GetProperty("textToVideo");
        AssertAccuracy(t2v.GetProperty("all"), 2);
        // The held-out set's first object is always a held-out composition: two prompts, two held-out objects at least.
        AssertAccuracy(t2v.GetProperty("heldOut"), 2);
        Assert.Equal(2, t2v.GetProperty("heldOut").GetProperty("clips").GetInt32());
        var ceiling = r.GetProperty("ceiling").GetProperty("all");
        Assert.Equal(t2v.GetProperty("all").GetProperty("objects").GetInt32(), ceiling.GetProperty("objects").GetInt32());
        var i2v = r.GetProperty("imageToVideo");
        Assert.Equal(1, i2v.GetProperty("clips").GetInt32());
        Assert.InRange(i2v.GetProperty("firstFramePsnr").GetDouble(), 1, 100);
        AssertAccuracy(i2v.GetProperty("accuracy"), 1);

        var text = Cli.Seaweed("eval", "prompts", "--model", model, "--n", "1", "--steps", "1", "--i2v", "0", "--set", "train");
        Assert.True(text.Code == 0, text.Err);
        Assert.Contains("ceiling", text.Out);
        Assert.Contains("held-out", text.Out);
        Assert.Contains("1 train prompts", text.Out);
        Assert.Contains("first-frame PSNR", text.Out);
    }

    [Fact]
    public void Bad_options_exit_2_naming_the_option()
    {
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", Path.Combine(state.Root, "none")), "--model");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", model, "--set", "test"), "--set");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", model, "--n", "0"), "--n");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", model, "--n", "2", "--i2v", "3"), "--i2v");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", model, "--steps", "0"), "--steps");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "prompts", "--model", model, "--guidance", "-1"), "--guidance");
    }
}
