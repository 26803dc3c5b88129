using Seaweed.Data;
using Seaweed.Data.Understanding;
using Seaweed.Data.World;
using Seaweed.Model;

namespace Seaweed.Eval.Tests.PromptFollowing;

public sealed class PromptFollowingTests
{
    // (0 + 2·0 + 3·0) mod 10 = 0: held out. (5 + 2·1 + 3·2) mod 10 = 3: seen.
    private static readonly ObjectContent HeldOutObject = new(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Static);
    private static readonly ObjectContent SeenObject = new(Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Right);

    private static readonly SceneReading Nothing = new(null, [], Background.Grey, CameraPan.None, 0, 0, 0);

    private static ProbeResult Result(params (ObjectContent Expected, bool Colour, bool Shape, bool Motion)[] objects) => new(
        new SceneContent(objects[0].Expected, objects.Length > 1 ? objects[1].Expected : null, Background.Grey, CameraPan.None),
        Nothing, objects.Select(o => new ObjectScore(o.Expected, o.Expected, o.Colour, o.Shape, o.Motion)).ToArray());

    [Fact]
    public void Each_object_counts_on_its_side_of_the_held_out_split()
    {
        Assert.True(HeldOut.IsHeldOut(HeldOutObject.Composition!.Value));
        Assert.False(HeldOut.IsHeldOut(SeenObject.Composition!.Value));
        var results = new[]
        {
            Result((HeldOutObject, true, true, false)),
            Result((HeldOutObject, true, true, true), (SeenObject, true, false, false)),
            Result((SeenObject, true, true, true)),
        };

        var a = PromptFollowingAccuracy.Of(results);

        Assert.Equal((3, 4, 4, 3, 2, 2), (a.All.Clips, a.All.Objects, a.All.Colour, a.All.Shape, a.All.Motion, a.All.All));
        Assert.Equal((2, 2, 2, 2, 1, 1), (a.HeldOut.Clips, a.HeldOut.Objects, a.HeldOut.Colour, a.HeldOut.Shape, a.HeldOut.Motion, a.HeldOut.All));
        Assert.Equal((2, 2, 2, 1, 1, 1), (a.Seen.Clips, a.Seen.Objects, a.Seen.Colour, a.Seen.Shape, a.Seen.Motion, a.Seen.All));
        Assert.Equal(new AccuracyFigures(3, 4, 1, 0.75, 0.5, 0.5), AccuracyFigures.Of(a.All));
        Assert.Equal(new AccuracyFigures(2, 2, 1, 0.5, 0.5, 0.5), AccuracyFigures.Of(a.Seen));
    }

    [Fact]
    public void A_split_with_no_objects_scores_zero_over_zero_objects()
    {
        var a = PromptFollowingAccuracy.Of([Result((SeenObject, true, true, true))]);
        Assert.Equal(ProbeAccuracy.Empty, a.HeldOut);
        Assert.Equal(new AccuracyFigures(0, 0, 0, 0, 0, 0), AccuracyFigures.Of(a.HeldOut));
        Assert.Equal(1, a.Seen.AllAccuracy);
    }

    [Fact]
    public void Rounded_figures_keep_four_digits()
    {
        var a = PromptFollowingAccuracy.Of([Result((SeenObject, true, false, true)), Result((SeenObject, true, false, false)), Result((SeenObject, false, true, true))]);
        Assert.Equal(new AccuracyFigures(3, 3, 0.6667, 0.3333, 0.6667, 0), AccuracyFigures.Of(a.All));
    }

    private static VideoFrames Flat(int frames, params byte[] values)
    {
        var video = new VideoFrames(4, 2, frames, 8);
        for (int t = 0; t < frames; t++) video.Frame(t).Fill(values[t]);
        return video;
    }

    [Fact]
    public void First_frame_psnr_compares_only_the_first_frame()
    {
        var image = Flat(1, 100);
        // An error of 10 on every byte: MSE 100, PSNR 10·log10(255²/100).
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 100), ImageToVideoResult.FirstFrame(image, Flat(3, 110, 0, 255)), 9);
        Assert.Equal(ImageToVideoResult.PsnrCap, ImageToVideoResult.FirstFrame(image, Flat(2, 100, 7)));
        var wrongSize = new VideoFrames(2, 2, 1, 8);
        Assert.Equal("generated", Assert.Throws<ArgumentException>(() => ImageToVideoResult.FirstFrame(image, wrongSize)).ParamName);
    }

    [Fact]
    public void Image_to_video_scores_average_the_psnr_and_count_the_objects()
    {
        var score = ImageToVideoScore.Of([
            new ImageToVideoResult(30, Result((SeenObject, true, true, true))),
            new ImageToVideoResult(20, Result((HeldOutObject, true, false, false))),
        ]);
        Assert.Equal((2, 25.0, 20.0), (score.Clips, score.FirstFramePsnr, score.WorstFirstFramePsnr));
        Assert.Equal(0.5, score.Accuracy.MotionAccuracy);
        Assert.Equal(0, ImageToVideoScore.Of([]).Clips);
    }

    [Fact]
    public void Prompts_are_moving_clips_of_the_split_at_the_model_size()
    {
        var size = new VideoSize(9, 48, 64);
        var heldOut = PromptFollowingEvaluation.Prompts(WorldSplit.HeldOut, 12, size, seed: 5);
        var seen = PromptFollowingEvaluation.Prompts(WorldSplit.Train, 12, size, seed: 5);
        Assert.All(heldOut.Concat(seen), c => Assert.Equal((64, 48, 9), (c.Scene.Width, c.Scene.Height, c.Scene.FrameCount)));
        Assert.All(heldOut, c => Assert.True(HeldOut.IsHeldOut(c.Content.First.Composition!.Value)));
        Assert.All(seen, c => Assert.False(HeldOut.Touches(c.Content)));
        Assert.All(seen, c => Assert.False(c.Content.IsStill));
        Assert.Equal(heldOut.Select(c => c.Caption), PromptFollowingEvaluation.Prompts(WorldSplit.HeldOut, 12, size, seed: 5).Select(c => c.Caption));
    }

    [Fact]
    public void The_probe_reads_the_worlds_own_renders_of_the_prompts_nearly_perfectly()
    {
        // The ceiling the eval prints: a model that drew exactly the world's clip would score this.
        var clips = PromptFollowingEvaluation.Prompts(WorldSplit.HeldOut, 24, Presets.Tiny.Video, seed: 0);
        var a = PromptFollowingAccuracy.Of(clips.Select(c => Probe.Score(c.Render(), c.Content)));
        Assert.Equal(24, a.HeldOut.Clips);
        Assert.True(a.All.AllAccuracy >= 0.95, $"probe on renders: {a.All}");
    }

    [Fact]
    public void Options_name_the_field_out_of_range()
    {
        Assert.Equal("Count", Assert.Throws<ArgumentOutOfRangeException>(() => new PromptEvaluationOptions(WorldSplit.HeldOut, 0, 0, 2, 3, 0).Validate()).ParamName);
        Assert.Equal("ImageToVideo", Assert.Throws<ArgumentOutOfRangeException>(() => new PromptEvaluationOptions(WorldSplit.HeldOut, 2, 3, 2, 3, 0).Validate()).ParamName);
    }
}
