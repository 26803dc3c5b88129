using Seaweed.Data.World;

namespace Seaweed.Data.Tests.World;

public sealed class CaptionTests
{
    [Fact]
    public void EveryPhrasingParsesBackToItsContent()
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 9, TwoObjectFraction = 0.5, PanFraction = 0.5 });
        foreach (var clip in world.Clips(0, 1500))
            for (int v = 0; v < CaptionGrammar.Variants; v++)
            {
                var text = CaptionGrammar.Detailed(clip.Content, v);
                var parsed = CaptionParser.Parse(text);
                Assert.True(parsed.Matches(clip.Content), $"{text} -> {parsed}");
                Assert.All(parsed.Objects, o => Assert.NotNull(o.Size));
                Assert.Equal(clip.Content.Background, parsed.Background);
                Assert.True(CaptionParser.Parse(CaptionGrammar.Short(clip.Content)).Matches(clip.Content), CaptionGrammar.Short(clip.Content));
            }
    }

    [Fact]
    public void ParaphrasesDifferAndWrongContentDoesNotMatch()
    {
        var content = new SceneContent(new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Left), null, Background.Grey, CameraPan.None);
        var texts = Enumerable.Range(0, CaptionGrammar.Variants).Select(v => CaptionGrammar.Detailed(content, v)).ToArray();
        Assert.Equal(texts.Length, texts.Distinct().Count());
        Assert.Equal("A small red circle moves to the left on a grey background.", texts[0]);
        Assert.Equal("red circle moves to the left", CaptionGrammar.Short(content));
        var parsed = CaptionParser.Parse(texts[1]);
        Assert.False(parsed.Matches(content with { First = content.First with { Motion = Motion.Right } }));
        Assert.False(parsed.Matches(content with { First = content.First with { Colour = Colour.Blue } }));
        Assert.False(parsed.Matches(content with { Camera = CameraPan.Up }));
    }

    [Fact]
    public void LooselyPhrasedPromptsAreRead()
    {
        var parsed = CaptionParser.Parse("big Blue squares sinks downward, and the camera pans up!");
        var o = Assert.Single(parsed.Objects);
        Assert.Equal((Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Down), (o.Colour, o.Shape, o.Size, o.Motion));
        Assert.Equal(CameraPan.Up, parsed.Camera);
        Assert.Empty(CaptionParser.Parse("a dog runs").Objects);
    }

    [Fact]
    public void MatchingPairsObjectsByColourInAnyOrder()
    {
        var red = new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Left);
        var blue = new ObjectContent(Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Grow);
        var content = new SceneContent(red, blue, Background.Striped, CameraPan.Down);
        var reversed = CaptionParser.Parse(CaptionGrammar.Detailed(content with { First = blue, Second = red }, 1));
        Assert.True(reversed.Matches(content));
        Assert.True(CaptionParser.Parse(CaptionGrammar.Short(content with { First = blue, Second = red })).Matches(content));

        // Shapes swapped between the colours, a colour said twice, a missing object: no match.
        Assert.False(reversed.Matches(content with { First = red with { Shape = Shape.Square }, Second = blue with { Shape = Shape.Circle } }));
        Assert.False(CaptionParser.Parse("a small red circle moves to the left and a large red square grows larger on a striped background as the camera pans down").Matches(content));
        Assert.False(CaptionParser.Parse("a large blue square grows larger on a striped background as the camera pans down").Matches(content));
        // The other rules stay: sizes and background that are stated must match.
        Assert.False(reversed.Matches(content with { Second = blue with { Size = ObjectSize.Small } }));
        Assert.False(reversed.Matches(content with { Background = Background.Grey }));
    }
}
