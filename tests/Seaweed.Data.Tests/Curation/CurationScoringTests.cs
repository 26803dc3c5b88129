using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;

namespace Seaweed.Data.Tests.Curation;

public sealed class CurationScoringTests
{
    private static readonly SceneContent Red = new(new ObjectContent(Colour.Red, Shape.Circle, ObjectSize.Small, Motion.Left), null, Background.Grey, CameraPan.None);
    private static readonly SceneContent Blue = new(new ObjectContent(Colour.Blue, Shape.Square, ObjectSize.Large, Motion.Up), null, Background.Sand, CameraPan.None);

    /// <summary>Shots [0,20) red, [20,40) blurred, a fade [40,48), [48,70) a copy of the red shot, [70,90) blue.</summary>
    private static readonly FootageTruth Truth = new("raw00000", 144, 112, 8, 90, new PixelRect(8, 8, 128, 96),
        [
            new ShotTruth(0, 20, "s0", ShotQuality.Good, Red, null),
            new ShotTruth(20, 40, "s1", ShotQuality.Blurred, Blue, null),
            new ShotTruth(48, 70, "s0", ShotQuality.Good, Red, DuplicateVariant.Cropped),
            new ShotTruth(70, 90, "s3", ShotQuality.Good, Blue, null),
        ],
        [new TransitionTruth(TransitionKind.Cut, 20, 20), new TransitionTruth(TransitionKind.Fade, 40, 48), new TransitionTruth(TransitionKind.Cut, 70, 70)]);

    private static ClipRecord Record(string id, int start, int end, ClipVerdict verdict, ShotQuality quality = ShotQuality.Good) =>
        new(id, "raw00000", start, end, 128, 96, 8, verdict, new QualityVerdict(quality, new QualityScores(1, 1, 1, 1, 1)),
            null, null, null, null, 0, 0, 0, 0, 0);

    private static string Caption(SceneContent c) => CaptionGrammar.Detailed(c, 0);

    [Fact]
    public void A_perfect_run_scores_one_everywhere()
    {
        var split = new VideoSplit("raw00000", 144, 112, 90, 8, Truth.Content,
            [new DetectedTransition(TransitionKind.Cut, 20, 20), new DetectedTransition(TransitionKind.Fade, 40, 48), new DetectedTransition(TransitionKind.Cut, 70, 70)], []);
        ClipRecord[] records =
        [
            Record("c0", 0, 20, ClipVerdict.Candidate), Record("c1", 20, 40, ClipVerdict.Invalid, ShotQuality.Blurred),
            Record("c2", 48, 70, ClipVerdict.Candidate), Record("c3", 70, 90, ClipVerdict.Candidate),
        ];
        var f = CurationScoring.Score(new Dictionary<string, FootageTruth> { ["raw00000"] = Truth }, [split], records, ["c2"],
            [("c0", Caption(Red)), ("c3", Caption(Blue))]);
        Assert.Equal(1, f.ShotBoundaries.F1);
        Assert.Equal((1.0, 1.0), (f.CropIoUMean, f.CropIoUMin));
        Assert.Equal(new Detection(1, 1, 1), f.InvalidClips);
        Assert.Equal(new Detection(1, 1, 1), f.Duplicates);
        Assert.Equal((2, 0.0, 1.0), (f.OutputSamples, f.InvalidInOutput, f.CaptionAccuracy));
        Assert.Equal(1, f.FlaggedAs["Blurred"]);
    }

    [Fact]
    public void Each_kind_of_mistake_costs_its_own_figure()
    {
        // A missed fade and a false cut; a crop 8 px too narrow.
        var split = new VideoSplit("raw00000", 144, 112, 90, 8, new PixelRect(8, 8, 120, 96),
            [new DetectedTransition(TransitionKind.Cut, 20, 20), new DetectedTransition(TransitionKind.Cut, 60, 60), new DetectedTransition(TransitionKind.Cut, 70, 70)], []);
        ClipRecord[] records =
        [
            Record("c0", 0, 20, ClipVerdict.Candidate),
            Record("c1", 20, 60, ClipVerdict.Candidate),                                 // the blurred shot through the fade: invalid, missed
            Record("c2", 60, 70, ClipVerdict.Invalid, ShotQuality.Frozen),              // a Good copy flagged by mistake
            Record("c3", 70, 90, ClipVerdict.Candidate),
        ];
        var f = CurationScoring.Score(new Dictionary<string, FootageTruth> { ["raw00000"] = Truth }, [split], records, ["c3"],
            [("c0", Caption(Blue)), ("c1", Caption(Blue))]);
        Assert.Equal((3, 3, 2), (f.ShotBoundaries.Detected, f.ShotBoundaries.Truth, f.ShotBoundaries.Matched));
        Assert.Equal(120.0 / 128, f.CropIoUMean, 6);
        Assert.Equal(new Detection(0, 1, 1), f.InvalidClips);
        Assert.Equal(new Detection(0, 1, 0), f.Duplicates);
        Assert.Equal((0.5, 0.0), (f.InvalidInOutput, f.CaptionAccuracy));
    }

    [Fact]
    public void A_video_without_truth_is_refused()
    {
        var split = new VideoSplit("other", 144, 112, 90, 8, Truth.Content, [], []);
        Assert.Equal("truth", Assert.Throws<ArgumentException>(() =>
            CurationScoring.Score(new Dictionary<string, FootageTruth> { ["raw00000"] = Truth }, [split], [], [], [])).ParamName);
    }
}
