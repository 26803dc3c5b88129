using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchBalanceTests
{
    [Fact]
    public void Bench_balance_json_reports_the_measured_table_and_balanced_vs_equal_count_plans()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "balance", "--json", "--max-frames", "3", "--samples-per-rank", "2",
            "--measured-samples-per-rank", "2", "--repeats", "1");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;

        var profile = root.GetProperty("profile").EnumerateArray().ToArray();
        long perFrame = root.GetProperty("model").GetProperty("tokensPerFrame").GetInt64();
        Assert.Equal([perFrame, 2 * perFrame, 3 * perFrame], profile.Select(p => p.GetProperty("tokens").GetInt64()));
        Assert.All(profile, p => Assert.True(p.GetProperty("seconds").GetDouble() > 0));
        var fit = root.GetProperty("fit");
        Assert.All(new[] { "a", "b", "c", "maxRelativeError" }, f => Assert.True(double.IsFinite(fit.GetProperty(f).GetDouble()), f));

        var simulated = root.GetProperty("simulated").EnumerateArray().ToArray();
        Assert.Equal([8, 8, 64, 64, 1024, 1024], simulated.Select(s => s.GetProperty("ranks").GetInt32()));
        foreach (var s in simulated)
        {
            Assert.Equal(2 * s.GetProperty("ranks").GetInt32(), s.GetProperty("samples").GetInt32());
            double lpt = s.GetProperty("lpt").GetDouble(), equal = s.GetProperty("equalCount").GetDouble();
            Assert.InRange(lpt, 1, equal + 1e-9);
            Assert.InRange(s.GetProperty("karmarkarKarp").GetDouble(), 1, equal + 1e-9);
            Assert.True(s.GetProperty("speedupOverEqualCount").GetDouble() >= 1 - 1e-3);
        }

        var measured = root.GetProperty("measured");
        Assert.Equal(4, measured.GetProperty("ranks").GetInt32());
        foreach (var plan in new[] { "balanced", "equalCount" })
        {
            var p = measured.GetProperty(plan);
            var seconds = p.GetProperty("rankSeconds").EnumerateArray().Select(s => s.GetDouble()).ToArray();
            Assert.Equal(4, seconds.Length);
            Assert.Equal(8, p.GetProperty("rankSamples").EnumerateArray().Sum(n => n.GetInt32()));
            Assert.Equal(seconds.Max() / seconds.Average(), p.GetProperty("maxOverMean").GetDouble(), 0.01);
            Assert.True(p.GetProperty("predictedMaxOverMean").GetDouble() >= 1);
        }
        Assert.True(measured.GetProperty("speedup").GetDouble() > 0);
        var goal = root.GetProperty("goal");
        Assert.Equal(1.05, goal.GetProperty("maxOverMean").GetDouble());
        Assert.Equal(measured.GetProperty("balanced").GetProperty("maxOverMean").GetDouble() <= 1.05, goal.GetProperty("measuredMet").GetBoolean());
    }

    [Theory]
    [InlineData("--max-frames", "2", "--max-frames")]
    [InlineData("--repeats", "0", "--repeats")]
    [InlineData("--clock", "sundial", "--clock")]
    public void Bad_input_exits_non_zero_with_one_line_naming_the_option(string option, string value, string expected)
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "balance", "--json", option, value);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
