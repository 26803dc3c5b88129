using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;
using Xunit.Abstractions;
using static Seaweed.Data.Tests.Curation.CraftedVideo;
using Seaweed.Testing;

namespace Seaweed.Data.Tests.Curation;

public sealed class ShotDetectorTests(ITestOutputHelper output)
{
    private static readonly ShotDetector Detector = new();

    [Fact]
    public void OneShotGivesOneShotAndNoTransitions()
    {
        var detection = Detector.Detect(Shot(1, 6));
        Assert.Equal([new ShotSpan(0, 6)], detection.Shots);
        Assert.Empty(detection.Transitions);
    }

    [Fact]
    public void OneFrameVideoIsOneShot()
    {
        var detection = Detector.Detect(Shot(1, 1));
        Assert.Equal([new ShotSpan(0, 1)], detection.Shots);
        Assert.Empty(detection.Transitions);
    }

    [Fact]
    public void AllBlackVideoIsOneShot()
    {
        var detection = Detector.Detect(Black(12));
        Assert.Equal([new ShotSpan(0, 12)], detection.Shots);
        Assert.Empty(detection.Transitions);
    }

    [Fact]
    public void CutAfterTheFirstFrameLeavesAOneFrameShot()
    {
        var detection = Detector.Detect(Concat(Shot(1, 1), Shot(2, 20)));
        Assert.Equal([new DetectedTransition(TransitionKind.Cut, 1, 1)], detection.Transitions);
        Assert.Equal([new ShotSpan(0, 1), new ShotSpan(1, 21)], detection.Shots);
    }

    [Fact]
    public void CutBeforeTheLastFrameLeavesAOneFrameShot()
    {
        var detection = Detector.Detect(Concat(Shot(1, 20), Shot(2, 1)));
        Assert.Equal([new DetectedTransition(TransitionKind.Cut, 20, 20)], detection.Transitions);
        Assert.Equal([new ShotSpan(0, 20), new ShotSpan(20, 21)], detection.Shots);
    }

    [Fact]
    public void FadeThroughBlackCoversItsDarkenedFrames()
    {
        // As footage fades: the last 4 frames of one shot darken, the first 4 of the next brighten.
        VideoFrames a = Shot(1, 16), b = Shot(2, 16);
        var video = Concat(a.Slice(0, 12), Gains(a.Slice(12, 4), 0.8, 0.6, 0.4, 0.2), Gains(b, 0.2, 0.4, 0.6, 0.8), b.Slice(4, 12));
        var detection = Detector.Detect(video);
        Assert.Equal([new DetectedTransition(TransitionKind.Fade, 12, 20)], detection.Transitions);
        Assert.Equal([new ShotSpan(0, 12), new ShotSpan(20, 32)], detection.Shots);
    }

    [Fact]
    public void DissolveCoversItsBlendedFrames()
    {
        VideoFrames a = Shot(1, 16), b = Shot(2, 16);
        var video = Concat(a.Slice(0, 10), Blend(a.Slice(10, 6), b, 6), b.Slice(6, 10));
        var detection = Detector.Detect(video);
        Assert.Equal([new DetectedTransition(TransitionKind.Dissolve, 10, 16)], detection.Transitions);
        Assert.Equal([new ShotSpan(0, 10), new ShotSpan(16, 26)], detection.Shots);
    }

    [Fact]
    public void InvalidArgumentsAreRejected()
    {
        Assert.Throws<ArgumentNullException>("video", () => Detector.Detect(null!));
        Assert.Throws<ArgumentOutOfRangeException>("CutFloor", () => new ShotDetector(new ShotDetectorOptions { CutFloor = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>("FadeDepth", () => new ShotDetector(new ShotDetectorOptions { FadeDepth = 1.5 }));
        Assert.Throws<ArgumentOutOfRangeException>("MaxGradualFrames", () => new ShotDetector(new ShotDetectorOptions { MinGradualFrames = 6, MaxGradualFrames = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>("MinGradualFrames", () => new ShotDetector(new ShotDetectorOptions { MinGradualFrames = 1 }));
        Assert.Throws<ArgumentOutOfRangeException>("ContextFrames", () => new ShotDetector(new ShotDetectorOptions { ContextFrames = 0 }));
    }

    [Fact]
    public void ScoreMatchesOneToOneWithinAFrame()
    {
        TransitionTruth[] truth = [new(TransitionKind.Cut, 10, 10), new(TransitionKind.Dissolve, 30, 36), new(TransitionKind.Fade, 60, 68), new(TransitionKind.Cut, 90, 90)];
        DetectedTransition[] detected =
        [
            new(TransitionKind.Cut, 11, 11),      // one frame late: a match
            new(TransitionKind.Cut, 12, 12),      // second claim on the same cut: unmatched
            new(TransitionKind.Fade, 36, 40),     // touches the dissolve: a match of the wrong kind
            new(TransitionKind.Fade, 69, 75),     // starts one frame after the fade: a match
            new(TransitionKind.Cut, 92, 92),      // two frames off: unmatched
        ];
        var score = ShotBoundaryScore.Compute(detected, truth);
        Assert.Equal((5, 4, 3, 2), (score.Detected, score.Truth, score.Matched, score.KindMatched));
        Assert.Equal(new KindTally(2, 1), score.Cuts);
        Assert.Equal(new KindTally(1, 0), score.Dissolves);
        Assert.Equal(new KindTally(1, 1), score.Fades);
        Assert.Equal(0.6, score.Precision, 9);
        Assert.Equal(0.75, score.Recall, 9);
        Assert.Equal(2 * 0.6 * 0.75 / 1.35, score.F1, 9);

        var twice = score + score;
        Assert.Equal((10, 8, 6, 4, new KindTally(4, 2)), (twice.Detected, twice.Truth, twice.Matched, twice.KindMatched, twice.Cuts));
        Assert.Equal(1, ShotBoundaryScore.Compute([], []).F1);
    }

    [Fact]
    public void ScoreFindsTheMaximumMatching()
    {
        // Greedy matching would give the first detection to the first truth and leave the second truth unmatched.
        TransitionTruth[] truth = [new(TransitionKind.Cut, 10, 10), new(TransitionKind.Cut, 12, 12)];
        DetectedTransition[] detected = [new(TransitionKind.Dissolve, 9, 11), new(TransitionKind.Cut, 9, 9)];
        Assert.Equal(2, ShotBoundaryScore.Compute(detected, truth).Matched);
    }

    [Fact]
    public void ScoreRejectsInvalidArguments()
    {
        Assert.Throws<ArgumentNullException>("detected", () => ShotBoundaryScore.Compute(null!, []));
        Assert.Throws<ArgumentNullException>("truth", () => ShotBoundaryScore.Compute([], null!));
        Assert.Throws<ArgumentException>("detected", () => ShotBoundaryScore.Compute([new DetectedTransition(TransitionKind.Fade, 5, 3)], []));
    }

    /// <summary>
    /// Border and shot detection as the curation pipeline runs them, on raw footage after H.264 at a random CRF
    /// 18–30: bars are found on the decoded video, shots on its crop. Thresholds were set on other seeds.
    /// </summary>
    [Fact]
    public void FindsBordersAndShotBoundariesInCompressedFootage()
    {
        const long seed = 7;
        const int videos = 12;
        var watch = Stopwatch.StartNew();
        var footage = new FootageGenerator(new FootageOptions { Seed = seed });
        var rng = WorldRandom.For(seed, 0, "shot-test");
        var total = ShotBoundaryScore.None;
        double iouSum = 0, detectSeconds = 0;
        int frames = 0;
        for (int v = 0; v < videos; v++)
        {
            var raw = footage.Video(v);
            var video = H264.RoundTrip(raw.Video, rng.Next(18, 31));
            var detectWatch = Stopwatch.StartNew();
            var rect = BorderDetector.Detect(video);
            Assert.NotNull(rect);
            var detection = Detector.Detect(video.Crop(rect.Value));
            detectSeconds += detectWatch.Elapsed.TotalSeconds;
            frames += video.FrameCount;

            AssertShotsTile(detection, video.FrameCount);
            var score = ShotBoundaryScore.Compute(detection.Transitions, raw.Truth.Transitions);
            total += score;
            iouSum += rect.Value.IoU(raw.Truth.Content);
            if (score.Matched < score.Truth || score.Matched < score.Detected || rect != raw.Truth.Content)
                output.WriteLine($"{raw.Truth.VideoId}: crop {rect} (truth {raw.Truth.Content}), {score}");
        }
        double meanIoU = iouSum / videos;
        output.WriteLine($"{videos} videos, {frames} frames: {total}");
        output.WriteLine($"mean crop IoU {meanIoU:F4}; detection {1000 * detectSeconds / frames:F2} ms/frame; total {watch.Elapsed.TotalSeconds:F1}s");

        Assert.True(total.Truth >= 100, $"only {total.Truth} transitions to measure on");
        Assert.True(total.F1 >= 0.98, $"shot-boundary F1 {total.F1:F3}");
        Assert.True(meanIoU >= 0.98, $"mean crop IoU {meanIoU:F4}");
    }

    private static void AssertShotsTile(ShotDetection detection, int frameCount)
    {
        Assert.Equal(detection.Transitions.Count + 1, detection.Shots.Count);
        Assert.Equal(0, detection.Shots[0].Start);
        Assert.Equal(frameCount, detection.Shots[^1].End);
        for (int i = 0; i < detection.Transitions.Count; i++)
        {
            Assert.Equal(detection.Shots[i].End, detection.Transitions[i].Start);
            Assert.Equal(detection.Transitions[i].End, detection.Shots[i + 1].Start);
        }
        Assert.All(detection.Shots, s => Assert.True(s.Length >= 1, $"empty shot {s}"));
    }
}
