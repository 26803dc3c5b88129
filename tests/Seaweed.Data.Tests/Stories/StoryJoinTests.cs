using Seaweed.Data.Stories;

namespace Seaweed.Data.Tests.Stories;

public sealed class StoryJoinTests
{
    /// <summary>A 2×2 video whose frame t is filled with the value <c>first + t·step</c>.</summary>
    private static VideoFrames Ramp(int frames, int first, int step = 1)
    {
        var v = new VideoFrames(2, 2, frames, 8);
        for (int t = 0; t < frames; t++) v.Frame(t).Fill((byte)(first + t * step));
        return v;
    }

    [Fact]
    public void Shots_join_back_to_back_without_the_frames_a_continuation_starts_from()
    {
        var story = StoryJoin.Join([Ramp(5, 10), Ramp(7, 12), Ramp(3, 100)], [0, 3, 0]);
        Assert.Equal(5 + 4 + 3, story.FrameCount);
        Assert.Equal(new byte[] { 10, 11, 12, 13, 14, 15, 16, 17, 18, 100, 101, 102 }, Enumerable.Range(0, story.FrameCount).Select(t => story.ReadFrame(t)[0]));
    }

    [Fact]
    public void Shots_of_another_size_or_an_overlap_that_leaves_nothing_are_refused()
    {
        Assert.Throws<ArgumentException>(() => StoryJoin.Join([Ramp(3, 0), new VideoFrames(4, 2, 3, 8)], [0, 0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => StoryJoin.Join([Ramp(3, 0), Ramp(3, 0)], [0, 3]));
        Assert.Throws<ArgumentException>(() => StoryJoin.Join([Ramp(3, 0)], [0, 0]));
    }

    [Fact]
    public void A_join_is_measured_against_the_steps_inside_its_shots()
    {
        var smooth = StoryJoin.Join([Ramp(4, 10, 2), Ramp(6, 14, 2)], [0, 2]);
        var c = Continuity.AtJoin(smooth, 0, 4, 8);
        Assert.Equal((4, 2.0, 2.0, 2.0), (c.Frame, c.Boundary, c.WithinMean, c.WithinMax));

        var cut = StoryJoin.Join([Ramp(4, 10, 2), Ramp(4, 200, 1)], [0, 0]);
        var jump = Continuity.AtJoin(cut, 0, 4, 8);
        Assert.Equal(200 - 16, jump.Boundary);
        Assert.Equal(1.5, jump.WithinMean);
    }

    [Fact]
    public void Every_join_with_two_frames_on_either_side_is_measured()
    {
        var story = StoryJoin.Join([Ramp(3, 0), Ramp(4, 50), Ramp(1, 200), Ramp(2, 100)], [0, 0, 0, 0]);
        var joins = Continuity.AtJoins(story, [3, 4, 1, 2]);
        // The one-frame shot has no step inside it: the joins on either side of it are left out.
        Assert.Equal([3], joins.Select(j => j.Frame));
        Assert.Equal(50 - 2, joins[0].Boundary);
    }
}
