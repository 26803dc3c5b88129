using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class BenchGrainOverheadTests
{
    [Fact]
    public void Json_reports_both_paths_of_the_same_work_their_ratio_and_where_the_time_went()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "grain-overhead", "--json", "--ranks", "2", "--steps", "2", "--batch", "2", "--resolution", "32");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        double plain = r.GetProperty("plainSeconds").GetDouble(), grains = r.GetProperty("grainSeconds").GetDouble();
        Assert.True(plain > 0 && grains > 0, stdout);
        var plainSteps = r.GetProperty("plainSteps").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var grainSteps = r.GetProperty("grainSteps").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        var ratios = r.GetProperty("ratios").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(2, ratios.Length);
        Assert.True(r.GetProperty("sameBatches").GetBoolean(), stdout); // step k drew the same batch on both paths
        Assert.True(r.GetProperty("sameWeights").GetBoolean(), stdout);
        Assert.InRange(r.GetProperty("weightDifference").GetDouble(), 0, 1e-6);
        var threads = r.GetProperty("threads");
        Assert.True(threads.GetProperty("same").GetBoolean(), stdout);
        Assert.Equal(2, threads.GetProperty("plain").GetArrayLength());
        foreach (var path in new[] { "plain", "grains" })
        {
            var parts = r.GetProperty(path);
            double compute = parts.GetProperty("compute").GetDouble(), transport = parts.GetProperty("transport").GetDouble();
            Assert.True(compute > 0 && transport >= 0, stdout); // the ranks computed, and waited on the transport if at all
        }
        Assert.True(r.GetProperty("overheadBy").TryGetProperty("dispatch", out _), stdout);
        for (int i = 0; i < 2; i++) // each figure rounded to 1e-5 s; ratios of ~0.1 s steps stay within 1e-3
            Assert.Equal(grainSteps[i] / plainSteps[i], ratios[i], tolerance: 1e-3);
        double ratio = r.GetProperty("ratio").GetDouble(); // median of two: their mean
        Assert.Equal((ratios[0] + ratios[1]) / 2, ratio, tolerance: 2e-5);
        Assert.Equal(ratios.Min(), r.GetProperty("ratioMin").GetDouble());
        Assert.Equal(ratios.Max(), r.GetProperty("ratioMax").GetDouble());
        double overhead = r.GetProperty("overhead").GetDouble();
        Assert.Equal(ratio - 1, overhead, tolerance: 2e-5);
        Assert.Equal(overhead <= r.GetProperty("goal").GetDouble(), r.GetProperty("goalMet").GetBoolean());
    }

    [Theory]
    [InlineData("--ranks", "0", "--ranks")]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--batch", "1", "--batch")]
    public void Bad_input_exits_with_one_line_naming_the_field(string option, string value, string expected)
    {
        SiloState.AssertBadInput(Cli.Seaweed("bench", "grain-overhead", "--json", option, value), expected);
    }
}
