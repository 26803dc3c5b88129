using System.Text.Json;
using Seaweed.Kernels;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchKernelsTests
{
    [Fact]
    public void Bench_kernels_json_reports_per_op_ratios_traffic_and_the_end_to_end_step()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "kernels", "--json", "--batch", "1", "--repeats", "1", "--sample-steps", "1");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;

        var ops = root.GetProperty("ops").EnumerateArray().ToArray();
        Assert.Equal(["qkNormRope", "modulate", "gatedResidual", "swiGlu"], ops.Select(o => o.GetProperty("op").GetString()));
        foreach (var o in ops)
        {
            foreach (var ratio in new[] { "speedup", "cpuSpeedup" })
                Assert.All(new[] { "forward", "forwardBackward" }, w => Assert.True(o.GetProperty(ratio).GetProperty(w).GetDouble() > 0, $"{ratio}.{w}"));
            foreach (var w in new[] { "forward", "forwardBackward" })
                // Milliseconds are printed to 4 decimals, the speed-up to 3.
                Rounding.AssertRatio(o.GetProperty("composedMs").GetProperty(w).GetDouble(), o.GetProperty("fusedMs").GetProperty(w).GetDouble(),
                    o.GetProperty("speedup").GetProperty(w).GetDouble(), 5e-5, 5e-4, $"{o.GetProperty("op").GetString()} {w}");
            var fused = o.GetProperty("fusedBytesPerElement");
            var composed = o.GetProperty("composedBytesPerElement");
            double fusedTotal = fused.GetProperty("forward").GetDouble() + fused.GetProperty("backward").GetDouble();
            double composedTotal = composed.GetProperty("forward").GetDouble() + composed.GetProperty("backward").GetDouble();
            Assert.True(fusedTotal < composedTotal, o.GetProperty("op").GetString());
            // Bytes per element are exact; the ratio is printed to 3 decimals.
            Rounding.AssertRatio(composedTotal, fusedTotal, o.GetProperty("trafficRatio").GetDouble(), 0, 5e-4, "trafficRatio");
            var auto = o.GetProperty("auto");
            var op = Enum.Parse<FusedOp>(o.GetProperty("op").GetString()!, ignoreCase: true);
            Assert.Equal(AutoKernels.Fuses(op, training: false), auto.GetProperty("inference").GetBoolean());
            Assert.Equal(AutoKernels.Fuses(op, training: true), auto.GetProperty("training").GetBoolean());
            // Agreement is judged on the unrounded times; only a ratio clear of 1 after rounding is checked against it.
            foreach (var (direction, ratio) in new[] { ("inference", "forward"), ("training", "forwardBackward") })
            {
                double measured = o.GetProperty("speedup").GetProperty(ratio).GetDouble();
                if (Math.Abs(measured - 1) > 1e-3)
                    Assert.Equal(auto.GetProperty(direction).GetBoolean() == measured > 1, auto.GetProperty(direction + "Agrees").GetBoolean());
            }
        }

        var e2e = root.GetProperty("endToEnd");
        foreach (var run in new[] { "trainStep", "generation" })
        {
            var r = e2e.GetProperty(run);
            // Milliseconds and the speed-up are both printed to 3 decimals.
            Rounding.AssertRatio(r.GetProperty("referenceMs").GetDouble(), r.GetProperty("fusedMs").GetDouble(), r.GetProperty("speedup").GetDouble(), 5e-4, 5e-4, run);
            Rounding.AssertRatio(r.GetProperty("referenceMs").GetDouble(), r.GetProperty("autoMs").GetDouble(), r.GetProperty("autoSpeedup").GetDouble(), 5e-4, 5e-4, run + " auto");
        }
        var goals = root.GetProperty("goals");
        Assert.Equal(ops.All(o => o.GetProperty("speedup").GetProperty("forwardBackward").GetDouble() >= 1.5), goals.GetProperty("opsMet").GetBoolean());
        Assert.Equal(e2e.GetProperty("trainStep").GetProperty("autoSpeedup").GetDouble() >= 1.1, goals.GetProperty("stepMet").GetBoolean());
        Assert.Contains("PTX", root.GetProperty("cuda").GetString());
    }

    [Theory]
    [InlineData("--repeats", "0")]
    [InlineData("--batch", "-1")]
    [InlineData("--sample-steps", "0")]
    public void Bad_input_exits_non_zero_with_one_line_naming_the_option(string option, string value)
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "kernels", "--json", option, value);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(option, stderr);
        Assert.Single(stderr.Trim().Split('\n'));
    }
}
