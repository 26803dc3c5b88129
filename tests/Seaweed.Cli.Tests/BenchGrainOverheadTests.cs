using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class BenchGrainOverheadTests : IDisposable
{
    private readonly SiloState state = new();

    public void Dispose() => state.Dispose();

    [Fact]
    public void Json_reports_both_paths_of_the_same_run_and_their_ratio()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "grain-overhead", "--json", "--ranks", "2", "--steps", "1", "--batch", "2", "--resolution", "32");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var r = doc.RootElement;
        double plain = r.GetProperty("plainSeconds").GetDouble(), grains = r.GetProperty("grainSeconds").GetDouble();
        Assert.True(plain > 0 && grains > 0, stdout);
        Assert.Single(r.GetProperty("plainSteps").EnumerateArray());
        Assert.Single(r.GetProperty("grainSteps").EnumerateArray());
        double overhead = r.GetProperty("overhead").GetDouble();
        Assert.Equal(grains / plain - 1, overhead, tolerance: 1e-3);
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
