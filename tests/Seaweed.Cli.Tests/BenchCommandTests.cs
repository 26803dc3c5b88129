using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchCommandTests
{
    private static (int Code, string Out, string Err) Seaweed(params string[] args) => Cli.Seaweed(args);

    [Fact]
    public void Bench_model_json_reports_gflops_next_to_the_same_run_matmul_peak()
    {
        var (code, stdout, stderr) = Seaweed("bench", "model", "--json", "--steps", "1", "--dit-batch", "1");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout); // stdout holds the JSON object and nothing else
        var root = doc.RootElement;
        double peak = root.GetProperty("matmulPeak").GetProperty("gflops").GetDouble();
        Assert.True(peak > 1, $"matmul peak {peak}");
        foreach (var network in new[] { "dit", "vae" })
        {
            var n = root.GetProperty(network);
            double gflops = n.GetProperty("gflops").GetDouble();
            double seconds = n.GetProperty("secondsPerStep").GetDouble();
            long flops = n.GetProperty("flopsPerStep").GetInt64();
            Assert.True(gflops > 0 && seconds > 0 && flops > 0, network);
            Assert.Equal(flops / seconds / 1e9, gflops, tolerance: 0.05 * gflops + 0.1);
            Assert.Equal(gflops / peak, n.GetProperty("mfu").GetDouble(), tolerance: 0.002);
        }
        var big = root.GetProperty("parameters").GetProperty("seaweed-7b").GetProperty("dit").GetInt64();
        Assert.InRange(big, 6_300_000_000L, 7_700_000_000L);
    }

    [Theory]
    [InlineData("--steps", "0", "--steps")]
    [InlineData("--dit-batch", "-1", "--dit-batch")]
    [InlineData("--preset", "huge", "preset")]
    [InlineData("--preset", "seaweed-7b", "too many to measure")]
    public void Bad_input_exits_non_zero_with_one_line_naming_the_field(string option, string value, string expected)
    {
        var (code, stdout, stderr) = Seaweed("bench", "model", "--json", option, value);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(expected, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }

    [Fact]
    public void Compute_settings_from_the_environment_are_validated()
    {
        Environment.SetEnvironmentVariable("Seaweed__Compute__Threads", "-1");
        try
        {
            var (code, _, stderr) = Seaweed("bench", "model", "--steps", "1");
            Assert.Equal(2, code);
            Assert.Equal("seaweed: Seaweed:Compute:Threads: -1 must be 0 (libtorch default) or positive", stderr.Trim());
        }
        finally
        {
            Environment.SetEnvironmentVariable("Seaweed__Compute__Threads", null);
        }
    }

    [Fact]
    public void Unknown_options_and_help_behave()
    {
        Assert.NotEqual(0, Seaweed("bench", "model", "--frobnicate").Code);
        var (code, stdout, _) = Seaweed("bench", "model", "--help");
        Assert.Equal(0, code);
        Assert.Contains("--json", stdout);
    }
}
