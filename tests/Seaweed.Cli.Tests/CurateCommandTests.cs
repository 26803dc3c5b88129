using System.Text.Json;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class CurateCommandTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("seaweed-curate-cli-").FullName;

    public CurateCommandTests() => System.Environment.SetEnvironmentVariable("Seaweed__Silo__StateDirectory", Path.Combine(root, "grains"));

    public void Dispose()
    {
        System.Environment.SetEnvironmentVariable("Seaweed__Silo__StateDirectory", null);
        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void Curates_synthetic_footage_on_one_and_two_silos_and_prints_the_figures()
    {
        string store = Path.Combine(root, "artefacts");
        var (code, stdout, stderr) = Cli.Seaweed("curate", "--synthetic", "3", "--out", "tiny", "--store", store, "--silos", "1,2", "--probe-clips", "12", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var report = doc.RootElement;
        Assert.Equal("completed", report.GetProperty("status").GetProperty("phase").GetString());
        Assert.True(report.GetProperty("sameDataset").GetBoolean());
        var runs = report.GetProperty("throughput").EnumerateArray().ToArray();
        Assert.Equal([1, 2], runs.Select(r => r.GetProperty("silos").GetInt32()));
        Assert.All(runs, r => Assert.True(r.GetProperty("clipsPerSecond").GetDouble() > 0));
        Assert.Equal(1.0, runs[0].GetProperty("speedupVsFirstRun").GetDouble());

        var figures = report.GetProperty("figures");
        var boundaries = figures.GetProperty("shotBoundaries");
        Assert.True(boundaries.GetProperty("truth").GetInt32() > 0);
        Assert.InRange(boundaries.GetProperty("f1").GetDouble(), 0, 1);
        Assert.InRange(figures.GetProperty("cropIoUMean").GetDouble(), 0, 1);
        int samples = figures.GetProperty("outputSamples").GetInt32();
        Assert.Equal(report.GetProperty("status").GetProperty("counts").GetProperty("samples").GetInt32(), samples);
        Assert.True(samples > 0);
        Assert.Equal(12, report.GetProperty("probe").GetProperty("clips").GetInt32());
        Assert.True(File.Exists(Path.Combine(store, "datasets", "tiny", "manifest.json")));
    }

    [Theory]
    [InlineData("--out", "world", "--synthetic/--input")]
    [InlineData("--out", "world", "--synthetic", "2", "--input", ".", "--synthetic/--input")]
    [InlineData("--out", "a/b", "--synthetic", "2", "--out")]
    [InlineData("--out", "world", "--synthetic", "0", "--synthetic")]
    [InlineData("--out", "world", "--synthetic", "2", "--silos", "1,x", "--silos")]
    [InlineData("--out", "world", "--synthetic", "2", "--window", "0", "--window")]
    [InlineData("--out", "world", "--input", "/no/such/dir", "--input")]
    public void Bad_input_exits_with_one_line_naming_the_field(params string[] args)
    {
        var (code, stdout, stderr) = Cli.Seaweed(["curate", "--store", Path.Combine(root, "artefacts"), .. args[..^1]]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(args[^1], stderr);
        Assert.Single(stderr.Trim().Split('\n'));
        Assert.False(Directory.Exists(Path.Combine(root, "artefacts", "datasets")));
    }
}
