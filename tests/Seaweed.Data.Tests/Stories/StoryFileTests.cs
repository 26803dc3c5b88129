using Seaweed.Data.Stories;
using Seaweed.Model;

namespace Seaweed.Data.Tests.Stories;

public sealed class StoryFileTests
{
    private const string Valid = """
        {
          "description": "a small red circle and a large blue square on a grey background",
          "shots": [
            { "prompt": "the red circle moves to the right", "frames": 9, "transition": "cut" },
            { "prompt": "the red circle rises", "frames": 8, "transition": "continue" },
            { "prompt": "the blue square shrinks", "frames": 9 }
          ],
          "size": "48x32", "steps": 2, "guidance": 1.5, "seed": 7
        }
        """;

    [Fact]
    public void A_valid_file_reads_every_field()
    {
        var story = StoryFile.Parse(Valid);
        Assert.Equal("a small red circle and a large blue square on a grey background", story.Description);
        Assert.Equal([new ScriptShot("the red circle moves to the right", 9, false), new ScriptShot("the red circle rises", 8, true),
            new ScriptShot("the blue square shrinks", 9, false)], story.Shots);
        Assert.Equal((48, 32, 2, 1.5, 7L), (story.Width, story.Height, story.Steps, story.Guidance, story.Seed));
    }

    [Fact]
    public void Settings_left_out_take_the_model_defaults_and_seed_zero()
    {
        var story = StoryFile.Parse("""{ "description": "a red circle", "shots": [{ "prompt": "it rises", "frames": 5 }] }""");
        Assert.Equal((null, null, null, null, 0L), (story.Width, story.Height, story.Steps, story.Guidance, story.Seed));
        Assert.False(story.Shots[0].Continues);
    }

    [Theory]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5, "colour": "red" }] }""", "shots[0].colour")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "fps": 8 }""", "fps")]
    [InlineData("""{ "description": "d", "shots": [] }""", "shots")]
    [InlineData("""{ "description": "d" }""", "shots")]
    [InlineData("""{ "shots": [{ "prompt": "p", "frames": 5 }] }""", "description")]
    [InlineData("""{ "description": "  ", "shots": [{ "prompt": "p", "frames": 5 }] }""", "description")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5, "transition": "continue" }] }""", "shots[0].transition")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 5, "transition": "fade" }] }""", "shots[1].transition")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 5, "transition": 1 }] }""", "shots[1].transition")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 5 }, { "prompt": "r", "frames": 0 }] }""", "shots[2].frames")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 5 }, { "prompt": "r", "frames": 4.5 }] }""", "shots[2].frames")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 5 }, { "prompt": "r", "frames": "nine" }] }""", "shots[2].frames")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q" }] }""", "shots[1].frames")]
    [InlineData("""{ "description": "d", "shots": [{ "frames": 5 }] }""", "shots[0].prompt")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }, { "prompt": "q", "frames": 1, "transition": "continue" }] }""", "shots[1].frames")]
    [InlineData("""{ "description": "d", "shots": [null] }""", "shots[0]")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "size": "64" }""", "size")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "size": "0x64" }""", "size")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "steps": 0 }""", "steps")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "guidance": -1 }""", "guidance")]
    [InlineData("""{ "description": "d", "shots": [{ "prompt": "p", "frames": 5 }], "seed": "x" }""", "seed")]
    [InlineData("""{ "description": "d", "description": "e", "shots": [{ "prompt": "p", "frames": 5 }] }""", "description")]
    [InlineData("""[]""", "config")]
    public void Bad_input_names_the_field(string json, string field)
    {
        var e = Assert.Throws<ConfigException>(() => StoryFile.Parse(json));
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Malformed_json_is_bad_input()
    {
        var e = Assert.Throws<ConfigException>(() => StoryFile.Parse("""{ "description": "d", "shots": [ """));
        Assert.StartsWith("shots", e.Field);
    }

    [Fact]
    public void Shot_lengths_and_the_size_are_checked_against_the_model_grid()
    {
        var model = new SeaweedConfig { Video = new VideoSize(9, 32, 32) }.Validate();
        var story = StoryFile.Parse("""
            { "description": "d", "shots": [{ "prompt": "p", "frames": 9 }, { "prompt": "q", "frames": 5, "transition": "continue" },
              { "prompt": "r", "frames": 8, "transition": "continue" }] }
            """);
        var e = Assert.Throws<ConfigException>(() => story.ValidateFor(model, 32, 32));
        Assert.Equal("shots[2].frames", e.Field);
        Assert.Contains("8 frames is not 1 + 4·k", e.Message);
        Assert.Equal("size.width", Assert.Throws<ConfigException>(() => story.ValidateFor(model, 36, 32)).Field);
        (story with { Shots = story.Shots.Take(2).ToArray() }).ValidateFor(model, 32, 32);
    }
}
