using Seaweed.Data.Prompts;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Prompts;

public sealed class PromptRephraserTests
{
    private static ObjectContent O(Colour c, Shape s, Motion? m, ObjectSize size = ObjectSize.Medium) => new(c, s, size, m);

    public static TheoryData<string, SceneContent> Phrasings => new()
    {
        { "Please show me a video of a crimson ball moving left", new(O(Colour.Red, Shape.Circle, Motion.Left), null, Background.Grey, CameraPan.None) },
        { "A BIG Blue Box going up on a sandy backdrop!!!", new(O(Colour.Blue, Shape.Square, Motion.Up, ObjectSize.Large), null, Background.Sand, CameraPan.None) },
        { "a ball, red, rises", new(O(Colour.Red, Shape.Circle, Motion.Up), null, Background.Grey, CameraPan.None) },
        { "tiny turquoise pyramid sinks while the camera pans right", new(O(Colour.Cyan, Shape.Triangle, Motion.Down, ObjectSize.Small), null, Background.Grey, CameraPan.Right) },
        { "green diamond getting bigger and a purple cross getting smaller", new(O(Colour.Green, Shape.Diamond, Motion.Grow), O(Colour.Purple, Shape.Cross, Motion.Shrink), Background.Grey, CameraPan.None) },
        { "a golden plus that doesn't move, on a checkerboard", new(O(Colour.Yellow, Shape.Cross, Motion.Static), null, Background.Checkered, CameraPan.None) },
        { "magenta disc slides down to the right", new(O(Colour.Pink, Shape.Circle, Motion.Diagonal), null, Background.Grey, CameraPan.None) },
        { "a scarlet square goes left; a navy circle heads rightwards. Static camera.", new(O(Colour.Red, Shape.Square, Motion.Left), O(Colour.Blue, Shape.Circle, Motion.Right), Background.Grey, CameraPan.None) },
        { "Camera panning up: a lime triangle falls", new(O(Colour.Green, Shape.Triangle, Motion.Down), null, Background.Grey, CameraPan.Up) },
        { "moving to the left, an orange cube", new(O(Colour.Orange, Shape.Square, Motion.Left), null, Background.Grey, CameraPan.None) },
        { "a huge violet sphere expanding over clouds, camera moves down", new(O(Colour.Purple, Shape.Circle, Motion.Grow, ObjectSize.Large), null, Background.Cloudy, CameraPan.Down) },
        { "Small pink rhombus, stationary, on a dark background", new(O(Colour.Pink, Shape.Diamond, Motion.Static, ObjectSize.Small), null, Background.Slate, CameraPan.None) },
        { "a box that is yellow and medium-sized stays in place on stripes", new(O(Colour.Yellow, Shape.Square, Motion.Static), null, Background.Striped, CameraPan.None) },
    };

    [Theory]
    [MemberData(nameof(Phrasings))]
    public void User_phrasings_become_captions_that_parse_to_the_intended_content(string prompt, SceneContent intended)
    {
        var r = PromptRephraser.Rephrase(prompt);
        Assert.Empty(r.Warnings);
        Assert.Equal(intended, r.Content);
        Assert.True(CaptionParser.Parse(r.Caption).Matches(intended), $"'{r.Caption}' does not parse to {intended}");
    }

    [Fact]
    public void A_prompt_without_sizes_or_background_becomes_the_short_caption_otherwise_the_detailed_one()
    {
        Assert.Equal("red circle moves to the left, camera pans right", PromptRephraser.Rephrase("Crimson ball going left as the camera pans right.").Caption);
        var detailed = PromptRephraser.Rephrase("a big crimson ball going left");
        Assert.Equal("A large red circle moves to the left on a grey background.", detailed.Caption);
        Assert.Contains("no background named: grey", detailed.Changes);
    }

    [Fact]
    public void Every_caption_of_the_grammar_is_read_back_to_its_content()
    {
        var rng = new Random(5);
        int checkedCount = 0;
        foreach (var colour in Vocabulary.Colours)
        foreach (var shape in Vocabulary.Shapes)
        {
            var motion = Vocabulary.Motions[rng.Next(Vocabulary.Motions.Length)];
            var second = rng.Next(2) == 0 ? null
                : O(Vocabulary.Colours[((int)colour + 1 + rng.Next(6)) % 8], Vocabulary.Shapes[rng.Next(5)], Vocabulary.Motions[rng.Next(8)], Vocabulary.Sizes[rng.Next(3)]);
            var content = new SceneContent(O(colour, shape, motion, Vocabulary.Sizes[rng.Next(3)]), second,
                Vocabulary.Backgrounds[rng.Next(6)], Vocabulary.Pans[rng.Next(5)]);
            for (int variant = 0; variant < CaptionGrammar.Variants; variant++)
            {
                var r = PromptRephraser.Rephrase(CaptionGrammar.Detailed(content, variant));
                Assert.True(r.Warnings.Count == 0, $"{CaptionGrammar.Detailed(content, variant)}: {string.Join("; ", r.Warnings)}");
                Assert.Equal(content, r.Content);
                Assert.Equal(CaptionGrammar.Detailed(content, 0), r.Caption);
                checkedCount++;
            }
            var fromShort = PromptRephraser.Rephrase(CaptionGrammar.Short(content));
            Assert.Empty(fromShort.Warnings);
            Assert.Equal(CaptionGrammar.Short(content), fromShort.Caption);
        }
        Assert.Equal(8 * 5 * 3, checkedCount);
    }

    [Fact]
    public void Words_it_cannot_place_are_each_named_in_a_warning_and_the_rest_is_kept()
    {
        var r = PromptRephraser.Rephrase("a red dragon ball flies left over a sparkly sky");
        Assert.Equal("red circle moves to the left", r.Caption);
        foreach (var word in new[] { "dragon", "sparkly", "sky" }) Assert.Contains(r.Warnings, w => w.Contains($"'{word}'"));
        Assert.Equal(3, r.Warnings.Count);
    }

    [Fact]
    public void Synonyms_filler_and_word_order_are_reported_as_changes()
    {
        var r = PromptRephraser.Rephrase("Please show me a ball, crimson, rising");
        Assert.Equal("red circle moves up", r.Caption);
        Assert.Contains("'crimson' → 'red'", r.Changes);
        Assert.Contains("'ball' → 'circle'", r.Changes);
        Assert.Contains("'rising' → 'moves up'", r.Changes);
        Assert.Contains(r.Changes, c => c.StartsWith("dropped") && c.Contains("'please'") && c.Contains("'show'"));
        Assert.Contains("'ball … crimson' → 'red circle'", r.Changes);
    }

    [Theory]
    [InlineData("red", "'red' names no shape")]
    [InlineData("a ball rolling left", "'ball' has no colour")]
    [InlineData("red circle, blue square and a green triangle", "at most 2 shapes")]
    [InlineData("a red ball rises and falls", "'falls'")]
    [InlineData("red ball on a grey and sandy background", "'sandy'")]
    [InlineData("red ball, camera", "'camera' says no direction")]
    public void Mentions_it_cannot_place_are_warned_about(string prompt, string warning)
    {
        var r = PromptRephraser.Rephrase(prompt);
        Assert.Contains(r.Warnings, w => w.Contains(warning));
        Assert.False(string.IsNullOrWhiteSpace(r.Caption));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("!!! ??? ...")]
    [InlineData("一个红色的球")]
    [InlineData("hello world")]
    [InlineData("and and and camera camera left left")]
    public void Any_text_is_rephrased_without_throwing(string prompt)
    {
        var r = PromptRephraser.Rephrase(prompt);
        Assert.NotNull(r.Caption);
        if (!string.IsNullOrWhiteSpace(prompt)) Assert.NotEqual("", r.Caption);
        Assert.Null(PromptRephraser.Rephrase(new string('x', 10_000)).Content);
        Assert.NotNull(PromptRephraser.Rephrase(null).Caption);
    }
}
