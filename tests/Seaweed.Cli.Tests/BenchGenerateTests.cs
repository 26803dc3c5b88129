using System.Text.Json;
using Seaweed.Data.Prompts;
using Seaweed.Testing;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public class BenchGenerateTests
{
    private static readonly string Shipped = Path.Combine(Repository.Root(), "models", "seaweed-tiny");
    private static readonly string[] Parts = ["text", "denoise", "decode", "encode"];

    [Fact]
    public void Bench_generate_json_splits_each_video_of_the_shipped_model_into_parts_within_its_total()
    {
        var (code, stdout, stderr) = Cli.Seaweed("bench", "generate", "--json", "--model", Shipped, "--frames", "5", "--size", "32x32", "--steps", "2", "--repeats", "1");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("5x32x32", root.GetProperty("video").GetString());
        Assert.Equal(2, root.GetProperty("steps").GetInt32());
        Assert.Equal(5, root.GetProperty("guidance").GetDouble()); // the model's default, as `seaweed generate` takes it
        // What a generation job's text encoder reads: the default prompt rephrased.
        Assert.Equal(PromptRephraser.Rephrase("a small red circle moves to the left").Caption, root.GetProperty("caption").GetString());
        Assert.Contains(root.GetProperty("container").GetString(), new[] { "mp4", "gif" });
        Assert.Equal(root.GetProperty("container").GetString() == "gif", root.GetProperty("notice").ValueKind == JsonValueKind.String);

        var runs = root.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Single(runs);
        var median = root.GetProperty("median");
        Assert.True(JsonElement.DeepEquals(runs[0], median), "one video is its own median");
        double total = median.GetProperty("total").GetDouble();
        foreach (var part in Parts) Assert.True(median.GetProperty(part).GetDouble() > 0, part);
        // Every part lies inside the video's wall clock; each is rounded to 0.1 ms.
        Assert.InRange(Parts.Sum(p => median.GetProperty(p).GetDouble()), 0, total + Parts.Length * 5e-5 + 5e-5);

        var share = root.GetProperty("share");
        foreach (var part in Parts)
            Assert.Equal(Math.Round(median.GetProperty(part).GetDouble() / total, 3), share.GetProperty(part).GetDouble(), 3);
        Assert.InRange(Parts.Sum(p => share.GetProperty(p).GetDouble()), 0, 1 + Parts.Length * 5e-4);
    }

    [Theory]
    [InlineData("--frames", "6")]     // not 1 + 4k
    [InlineData("--size", "30x32")]   // off the model's grid
    [InlineData("--size", "big")]
    [InlineData("--steps", "0")]
    [InlineData("--repeats", "0")]
    [InlineData("--model", "no-such-model")]
    public void Bad_input_exits_non_zero_naming_the_option(string option, string value)
    {
        var options = new Dictionary<string, string> { ["--model"] = Shipped, ["--frames"] = "5", ["--size"] = "32x32", ["--steps"] = "1", ["--repeats"] = "1", [option] = value };
        var (code, stdout, stderr) = Cli.Seaweed(["bench", "generate", "--json", .. options.SelectMany(o => new[] { o.Key, o.Value })]);
        Assert.Equal(2, code);
        Assert.Empty(stdout);
        Assert.Contains(option, stderr);
    }
}
