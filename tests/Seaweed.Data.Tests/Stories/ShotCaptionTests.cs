using Seaweed.Data.Stories;
using Seaweed.Data.World;
using Seaweed.Model;

namespace Seaweed.Data.Tests.Stories;

public sealed class ShotCaptionTests
{
    private const string Cast = "A small red circle and a large blue square on a sandy background";

    [Fact]
    public void Every_shot_names_the_cast_as_the_description_does()
    {
        var rises = ShotCaption.Compose(Cast, "the red circle rises");
        Assert.Equal("A small red circle moves up on a sandy background.", rises.Text);
        Assert.Empty(rises.Notes);
        // The prompt calls the square big and the circle a square: the cast wins, and says so.
        var both = ShotCaption.Compose(Cast, "a big blue square slides left and the red square falls, camera pans up");
        Assert.Equal("A large blue square moves to the left and a small red circle moves down on a sandy background as the camera pans up.", both.Text);
        Assert.Contains(both.Notes, n => n.Contains("red square is the description's red circle"));
    }

    [Fact]
    public void The_caption_reads_back_as_the_scene_it_states()
    {
        var caption = ShotCaption.Compose(Cast, "the blue square shrinks");
        var parsed = CaptionParser.Parse(caption.Text);
        var content = new SceneContent(new ObjectContent(Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Shrink), null, Background.Sand, CameraPan.None);
        Assert.True(parsed.Matches(content), caption.Text);
    }

    [Fact]
    public void A_prompt_without_objects_shows_the_whole_cast_still()
    {
        var caption = ShotCaption.Compose(Cast, "nothing happens");
        Assert.Equal("A small red circle stays still and a large blue square stays still on a sandy background.", caption.Text);
        Assert.Contains(caption.Notes, n => n.Contains("whole cast"));
    }

    [Fact]
    public void What_neither_states_is_assumed_and_noted()
    {
        var caption = ShotCaption.Compose("a green triangle", "the green triangle grows");
        Assert.Equal("A medium green triangle grows larger on a grey background.", caption.Text);
        Assert.Equal(2, caption.Notes.Count);
        var stranger = ShotCaption.Compose(Cast, "a pink cross falls");
        Assert.Contains(stranger.Notes, n => n.Contains("pink cross is not in the description"));
    }

    [Fact]
    public void Text_without_shapes_is_joined_as_written()
    {
        var caption = ShotCaption.Compose("A quiet afternoon.", "Something moves");
        Assert.Equal("A quiet afternoon. Something moves", caption.Text);
        Assert.Single(caption.Notes);
    }

    [Fact]
    public void More_objects_than_the_world_shows_is_bad_input_naming_the_field()
    {
        var e = Assert.Throws<ConfigException>(() => ShotCaption.Compose(Cast, "a pink cross, a red circle and a blue square", "shots[3].prompt"));
        Assert.Equal("shots[3].prompt", e.Field);
        Assert.Equal("description", Assert.Throws<ConfigException>(() => ShotCaption.Compose("a red circle, a blue square and a pink cross", "x")).Field);
    }
}
