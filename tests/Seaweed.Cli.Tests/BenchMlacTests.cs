using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchMlacTests
{
    private static readonly string[] Tiny = ["bench", "mlac", "--json", "--frames", "1", "--side", "4", "--hidden", "24", "--layers", "2", "--steps", "1"];

    [Fact]
    public void Bench_mlac_json_reports_every_level_against_no_checkpointing()
    {
        var (code, stdout, stderr) = Cli.Seaweed(Tiny);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(1 * 4 * 4 + 32, root.GetProperty("tokens").GetInt64()); // video tokens + the text encoder's 32
        Assert.Equal("peak activation memory ≤ 1/4 of no checkpointing at ≤ 20% more step time", root.GetProperty("goal").GetString());
        Assert.Contains("VmHWM", root.GetProperty("goalMeasure").GetString());
        Assert.InRange(root.GetProperty("attentionShare").GetDouble(), 0.01, 0.99);

        var levels = root.GetProperty("variants").EnumerateArray().ToDictionary(v => v.GetProperty("variant").GetString()!);
        Assert.Equal(["none", "recompute", "host", "disk"], levels.Keys);
        var none = levels["none"];
        Assert.Equal(1.0, none.GetProperty("timeRatio").GetDouble());
        Assert.Equal(1.0, none.GetProperty("memoryRatio").GetDouble());
        bool anyMet = false;
        foreach (var (name, v) in levels)
        {
            Assert.Equal(name == "none" ? 0 : 2, v.GetProperty("recomputesPerStep").GetInt32());
            double seconds = v.GetProperty("secondsPerStep").GetDouble();
            Assert.True(seconds > 0, name);
            // Seconds are printed to 4 decimals and the ratio (of the unrounded times) to 3: allow both roundings.
            double noneSeconds = none.GetProperty("secondsPerStep").GetDouble(), half = 5e-5;
            Assert.InRange(v.GetProperty("timeRatio").GetDouble(),
                (seconds - half) / (noneSeconds + half) - 5e-4, (seconds + half) / (noneSeconds - half) + 5e-4);
            long step = v.GetProperty("stepResidentBytes").GetInt64();
            Assert.True(step >= 0 && v.GetProperty("peakResidentBytes").GetInt64() > step, name);
            var accounted = v.GetProperty("accounted");
            Assert.Equal(name == "host", accounted.GetProperty("host").GetInt64() > 0);
            Assert.Equal(name == "disk", accounted.GetProperty("disk").GetInt64() > 0);
            bool meets = v.GetProperty("meetsGoal").GetBoolean();
            double slowdown = Math.Max(v.GetProperty("timeRatio").GetDouble(), v.GetProperty("cpuTimeRatio").GetDouble());
            Assert.Equal(name != "none" && v.GetProperty("memoryRatio").GetDouble() <= 0.25 && slowdown <= 1.2, meets);
            anyMet |= meets;
        }
        // Plain autograd holds far more on the device than the saved inputs of checkpointed blocks.
        Assert.True(levels["recompute"].GetProperty("accountedDeviceRatio").GetDouble() < 0.5);
        Assert.Equal(anyMet, root.GetProperty("goalMet").GetBoolean());
    }

    [Theory]
    [InlineData("--layers", "0")]
    [InlineData("--steps", "-1")]
    [InlineData("--side", "0")]
    public void Bad_input_exits_non_zero_naming_the_option(string option, string value)
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "mlac", "--json", option, value);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(option, stderr);
    }
}
