using System.Text.Json;
using Seaweed.Data.Video;
using Seaweed.Tests.Shared;

namespace Seaweed.Cli.Tests;

[Collection(Cli.Environment)]
public sealed class StoryCommandTests : IDisposable
{
    private const string ArtefactsVariable = "Seaweed__Artefacts__Path";
    private readonly SiloState state = new();
    private readonly string model;

    public StoryCommandTests()
    {
        model = TinyModel.Save(Path.Combine(state.Root, "model"));
        Environment.SetEnvironmentVariable(ArtefactsVariable, Path.Combine(state.Root, "artefacts"));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ArtefactsVariable, null);
        state.Dispose();
    }

    private string StoryFile(string shots, string name = "tale.json")
    {
        string path = Path.Combine(state.Root, name);
        File.WriteAllText(path, $$"""
            { "description": "a small red circle and a large blue square on a grey background",
              "shots": [{{shots}}], "size": "32x32", "steps": 2, "seed": 3 }
            """);
        return path;
    }

    private const string ThreeShots = """
        { "prompt": "the red circle moves to the right", "frames": 9 },
        { "prompt": "the red circle rises", "frames": 9, "transition": "continue" },
        { "prompt": "the blue square shrinks", "frames": 5, "transition": "cut" }
        """;

    /// <summary>The joined MP4 is 9 + 4 + 5 frames (the continuation's first 5 frames re-create the end of shot 0), each
    /// shot is written beside it, and running the same story again reuses every shot.</summary>
    [Fact]
    public async Task Writes_the_story_and_its_shots_and_a_rerun_reuses_every_shot()
    {
        string file = StoryFile(ThreeShots), output = Path.Combine(state.Root, "out", "story.mp4");
        var (code, stdout, stderr) = Cli.Seaweed("story", file, "--model", model, "-o", output, "--json");
        Assert.True(code == 0, stderr);
        using (var doc = JsonDocument.Parse(stdout))
        {
            var r = doc.RootElement;
            Assert.Equal(output, r.GetProperty("output").GetString());
            Assert.Equal(18, r.GetProperty("frames").GetInt32());
            var shots = r.GetProperty("shots").EnumerateArray().ToArray();
            Assert.Equal(3, shots.Length);
            Assert.All(shots, s => Assert.False(s.GetProperty("reused").GetBoolean()));
            Assert.Equal("continue", shots[1].GetProperty("transition").GetString());
            Assert.Contains("red circle", shots[1].GetProperty("caption").GetString());
            // Both joins have two frames or more on either side: both are measured.
            Assert.Equal([9, 13], r.GetProperty("joins").EnumerateArray().Select(j => j.GetProperty("frame").GetInt32()));
        }
        var ffmpeg = Ffmpeg.Locate();
        Assert.Equal(18, (await ffmpeg.ProbeAsync(output)).DeclaredFrameCount);
        for (int i = 0; i < 3; i++)
            Assert.Equal(i == 2 ? 5 : 9, (await ffmpeg.ProbeAsync(Path.Combine(state.Root, "out", $"story-shot-{i}.mp4"))).DeclaredFrameCount);

        var again = Cli.Seaweed("story", file, "--model", model, "-o", output, "--json");
        Assert.True(again.Code == 0, again.Err);
        using var rerun = JsonDocument.Parse(again.Out);
        Assert.All(rerun.RootElement.GetProperty("shots").EnumerateArray(), s => Assert.True(s.GetProperty("reused").GetBoolean()));
    }

    [Theory]
    [InlineData("""{ "prompt": "p", "frames": 9 }, { "prompt": "q", "frames": 8, "transition": "continue" }""", "shots[1].frames")]
    [InlineData("""{ "prompt": "p", "frames": 9, "transition": "continue" }""", "shots[0].transition")]
    [InlineData("""{ "prompt": "p", "frames": 9, "speed": 2 }""", "shots[0].speed")]
    [InlineData("", "shots")]
    public void A_bad_story_file_is_refused_naming_the_field(string shots, string field) =>
        SiloState.AssertBadInput(Cli.Seaweed("story", StoryFile(shots), "--model", model), field);

    [Fact]
    public void A_missing_file_or_model_is_refused()
    {
        SiloState.AssertBadInput(Cli.Seaweed("story", Path.Combine(state.Root, "none.json"), "--model", model), "story");
        SiloState.AssertBadInput(Cli.Seaweed("story", StoryFile(ThreeShots), "--model", Path.Combine(state.Root, "no-model")), "--model");
    }
}
