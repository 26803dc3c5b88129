using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchBalanceTests
{
    [Fact]
    public void Bench_balance_json_reports_the_profiled_table_and_consistent_balanced_vs_equal_count_plans()
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
            foreach (var plan in new[] { "lpt", "karmarkarKarp", "tokenBalanced", "equalCount" })
                Assert.True(s.GetProperty(plan).GetDouble() >= 1, plan);
            // Both plans share the costs and so the mean: the step-time ratio is the ratio of their max/mean.
            double lpt = s.GetProperty("lpt").GetDouble(), equal = s.GetProperty("equalCount").GetDouble();
            Assert.Equal(equal / lpt, s.GetProperty("speedupOverEqualCount").GetDouble(), 2e-3);
        }

        var measured = root.GetProperty("measuredSerially");
        Assert.Equal((4, 8), (measured.GetProperty("ranks").GetInt32(), measured.GetProperty("samples").GetInt32()));
        var slowest = new Dictionary<string, double>();
        double? predictedTotal = null;
        foreach (var plan in new[] { "balanced", "equalCount" })
        {
            var p = measured.GetProperty(plan);
            var seconds = Doubles(p.GetProperty("rankSeconds"));
            var costs = Doubles(p.GetProperty("rankCosts"));
            Assert.Equal(4, seconds.Length);
            Assert.Equal(4, costs.Length);
            Assert.All(seconds, s => Assert.True(s > 0));
            Assert.Equal(8, p.GetProperty("rankSamples").EnumerateArray().Sum(n => n.GetInt32()));
            // Rank seconds are printed to 4 decimals and costs to 5, both ratios to 4 (a mean of rounded figures is off by at most as much).
            Rounding.AssertRatio(seconds.Max(), seconds.Average(), p.GetProperty("maxOverMean").GetDouble(), 5e-5, 5e-5, $"{plan} maxOverMean");
            Rounding.AssertRatio(costs.Max(), costs.Average(), p.GetProperty("predictedMaxOverMean").GetDouble(), 5e-6, 5e-5, $"{plan} predictedMaxOverMean");
            Assert.True(p.GetProperty("maxOverMean").GetDouble() >= 1);
            Assert.True(p.GetProperty("predictedMaxOverMean").GetDouble() >= 1);
            // The same eight samples under either plan: the same predicted total.
            predictedTotal ??= costs.Sum();
            Assert.Equal(predictedTotal.Value, costs.Sum(), 1e-3);
            slowest[plan] = seconds.Max();
        }
        // Seconds are rounded to 4 decimals, the speed-up to 3.
        const double second = 5e-5, ratio = 5e-4;
        Assert.InRange(measured.GetProperty("speedup").GetDouble(),
            (slowest["equalCount"] - second) / (slowest["balanced"] + second) - ratio,
            (slowest["equalCount"] + second) / (slowest["balanced"] - second) + ratio);
        var goal = root.GetProperty("goal");
        Assert.Equal(1.05, goal.GetProperty("maxOverMean").GetDouble());
        Assert.Equal(measured.GetProperty("balanced").GetProperty("maxOverMean").GetDouble() <= 1.05, goal.GetProperty("measuredSeriallyMet").GetBoolean());
        Assert.Equal(simulated.All(s => s.GetProperty("lpt").GetDouble() <= 1.05), goal.GetProperty("simulatedMet").GetBoolean());
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

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
