using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchVaeTilesTests
{
    private static readonly string[] Small = ["bench", "vae-tiles", "--json", "--width", "32", "--height", "48", "--frames", "5", "--grids", "1x1,2x2", "--chunk-frames", "1"];

    [Fact]
    public void Bench_vae_tiles_json_reports_each_grid_against_whole_frame_decode()
    {
        var (code, stdout, stderr) = Cli.Seaweed(Small);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(48, root.GetProperty("compression").GetInt32());
        Assert.Equal("5×48×32", root.GetProperty("video").GetString());
        Assert.Equal([16, 2, 6, 4], root.GetProperty("latent").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0, 1, 2], root.GetProperty("frameBounds").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Contains("VmHWM", root.GetProperty("goalMeasure").GetString());

        var whole = root.GetProperty("whole");
        double wholeSeconds = whole.GetProperty("seconds").GetDouble();
        long wholePeak = whole.GetProperty("peakBytes").GetInt64();
        Assert.True(wholeSeconds > 0 && wholePeak > 0);

        var grids = root.GetProperty("grids").EnumerateArray().ToDictionary(g => g.GetProperty("grid").GetString()!);
        Assert.Equal(["1x1", "2x2"], grids.Keys);
        foreach (var (name, g) in grids)
        {
            Assert.Equal(name == "1x1" ? 1 : 4, g.GetProperty("tiles").GetInt32());
            // Exact, not blended: the tiled video is the whole-frame one.
            Assert.InRange(g.GetProperty("maxAbsDiff").GetDouble(), 0, 1e-4);
            Assert.Equal(name == "1x1", g.GetProperty("exchangedBytes").GetInt64() < 4096); // one tile exchanges only its norm statistics
            long peak = g.GetProperty("peakBytesPerTile").GetInt64();
            Assert.True(peak > 0, name);
            double memory = g.GetProperty("memoryRatio").GetDouble();
            Assert.Equal(Math.Round((double)peak / wholePeak, 3), memory);
            // Seconds are printed to 3 decimals and the ratio (of the unrounded times) to 3: allow both roundings.
            double seconds = g.GetProperty("seconds").GetDouble(), half = 5e-4;
            double time = g.GetProperty("timeRatio").GetDouble();
            Assert.InRange(time, (seconds - half) / (wholeSeconds + half) - 5e-4, (seconds + half) / (wholeSeconds - half) + 5e-4);
            double slowdown = Math.Max(time, g.GetProperty("cpuTimeRatio").GetDouble());
            Assert.Equal(memory <= 1.0 / 3 && slowdown <= 1.2, g.GetProperty("meetsGoal").GetBoolean());
        }
        Assert.Equal(grids["2x2"].GetProperty("meetsGoal").GetBoolean(), root.GetProperty("goalMet").GetBoolean());
    }

    [Theory]
    [InlineData("--width", "30")]    // not a multiple of the VAE's 8
    [InlineData("--frames", "6")]    // not 1 + 4k
    [InlineData("--grids", "9x1")]   // more tile rows than the latent's 4
    [InlineData("--grids", "2by2")]
    [InlineData("--repeats", "0")]
    [InlineData("--chunk-frames", "0")]
    public void Bad_input_exits_non_zero_naming_the_option(string option, string value)
    {
        var sizes = new Dictionary<string, string> { ["--width"] = "32", ["--height"] = "32", ["--frames"] = "5", [option] = value };
        var (code, stdout, stderr) = Cli.Seaweed(["bench", "vae-tiles", "--json", .. sizes.SelectMany(o => new[] { o.Key, o.Value })]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(option, stderr);
    }
}
