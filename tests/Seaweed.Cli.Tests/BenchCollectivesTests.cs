using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class BenchCollectivesTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    [Fact]
    public void Json_reports_the_three_paths_measured_in_one_run()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "collectives", "--json", "--ranks", "3", "--silos", "2", "--mib", "1", "--iterations", "1");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        long tensor = r.GetProperty("tensorBytes").GetInt64();
        Assert.Equal(1 << 20, tensor);
        // 3 ranks over 2^18 floats: chunks of 87381 or 87382 floats; the busiest rank sends four of the six chunks.
        Assert.Equal(4L * (2 * 262144 - 87381 - 87381), r.GetProperty("bytesPerRank").GetInt64());
        var rates = new[] { "grains", "inProcess", "memoryCopy" }.ToDictionary(p => p, p => r.GetProperty(p));
        foreach (var (name, rate) in rates)
        {
            double seconds = rate.GetProperty("seconds").GetDouble();
            Assert.True(seconds > 0, name);
            Assert.Equal(r.GetProperty("bytesPerRank").GetInt64() / seconds, rate.GetProperty("bytesPerSecond").GetDouble(), tolerance: 1e-3 * rate.GetProperty("bytesPerSecond").GetDouble() + 1);
            Assert.Equal(tensor / seconds, rate.GetProperty("tensorBytesPerSecond").GetDouble(), tolerance: 1e-3 * tensor / seconds + 1);
        }
        double S(string p) => rates[p].GetProperty("seconds").GetDouble();
        Assert.Equal(S("inProcess") / S("grains"), r.GetProperty("grainsOfInProcess").GetDouble(), tolerance: 0.002);
        Assert.Equal(S("memoryCopy") / S("grains"), r.GetProperty("grainsOfMemoryCopy").GetDouble(), tolerance: 0.002);
    }

    [Theory]
    [InlineData("--ranks", "1", "--ranks")]
    [InlineData("--silos", "5", "--silos")]
    [InlineData("--mib", "0", "--mib")]
    [InlineData("--iterations", "0", "--iterations")]
    public void Bad_input_exits_with_one_line_naming_the_field(string option, string value, string expected)
    {
        SiloState.AssertBadInput(Cli.Seaweed("bench", "collectives", "--json", option, value), expected);
    }
}
