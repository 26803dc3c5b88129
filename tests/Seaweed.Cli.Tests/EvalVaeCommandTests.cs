using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class EvalVaeCommandTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    [Fact]
    public void Prints_psnr_and_ssim_at_the_training_resolution_and_at_twice_it()
    {
        var train = Cli.Seaweed("train", "vae", "--config", TrainVaeCommandTests.Config(state.Root), "--json");
        Assert.True(train.Code == 0, train.Err);
        string model = Path.Combine(state.Root, "vae-run", "model");

        var (code, stdout, stderr) = Cli.Seaweed("eval", "vae", "--model", model, "--clips", "2", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        Assert.Equal(2, r.GetProperty("clips").GetInt32());
        foreach (var (name, size) in new[] { ("training", 32), ("double", 64) })
        {
            var q = r.GetProperty(name);
            Assert.Equal((size, size, 5, 2), (q.GetProperty("width").GetInt32(), q.GetProperty("height").GetInt32(), q.GetProperty("frames").GetInt32(), q.GetProperty("clips").GetInt32()));
            Assert.InRange(q.GetProperty("psnr").GetDouble(), 1, 60);
            Assert.InRange(q.GetProperty("ssim").GetDouble(), -1, 1);
            Assert.True(q.GetProperty("worstPsnr").GetDouble() <= q.GetProperty("psnr").GetDouble());
        }

        var text = Cli.Seaweed("eval", "vae", "--model", model, "--clips", "1");
        Assert.True(text.Code == 0, text.Err);
        Assert.Contains("PSNR (dB)", text.Out);
        Assert.Contains("5×64x64", text.Out);
    }

    [Fact]
    public void Bad_input_is_one_line_naming_the_option()
    {
        SiloState.AssertBadInput(Cli.Seaweed("eval", "vae", "--model", Path.Combine(state.Root, "none")), "--model");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "vae", "--model", state.Root, "--clips", "0"), "--clips");
        SiloState.AssertBadInput(Cli.Seaweed("eval", "vae", "--model", state.Root), "config.json");
    }
}
