using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.World;
using Xunit.Abstractions;

namespace Seaweed.Data.Tests.Curation;

public sealed class QualityFilterTests(ITestOutputHelper output)
{
    private static readonly QualityFilter Filter = new();

    private static VideoFrames Render(int width, int height, int frames, long index)
    {
        var world = new WorldGenerator(new WorldOptions { Seed = 3, Sizes = [(width, height)], FrameCounts = [Math.Max(2, frames)], StillFraction = frames == 1 ? 1 : 0 });
        return world.Clip(index).Render();
    }

    [Fact]
    public void AllBlackClipIsDark()
    {
        var verdict = Filter.Judge(new VideoFrames(96, 96, 8, 8));
        Assert.Equal(ShotQuality.Dark, verdict.Quality);
        Assert.False(verdict.IsGood);
        Assert.Equal(0, verdict.Scores.Brightness);
        Assert.Equal(0, verdict.Scores.Sharpness);
    }

    [Fact]
    public void CleanRendersAreGoodAtEverySize()
    {
        foreach (var (w, h) in new[] { (64, 64), (128, 96), (96, 128), (160, 96), (128, 128) })
            for (long i = 0; i < 4; i++)
            {
                var verdict = Filter.Judge(Render(w, h, 24, i));
                Assert.True(verdict.IsGood, $"{w}x{h} clip {i}: {verdict}");
            }
    }

    [Fact]
    public void SingleFrameWorksAndIsNeverFrozen()
    {
        var still = Render(128, 96, 1, 5);
        Assert.Equal(1, still.FrameCount);
        var verdict = Filter.Judge(still);
        Assert.True(double.IsNaN(verdict.Scores.Motion));
        Assert.Equal(ShotQuality.Good, verdict.Quality);
        // A still with no motion at all: the Frozen threshold cannot apply to it, however strict.
        var strict = new QualityFilter(new QualityThresholds { MinMotion = 100 });
        Assert.Equal(ShotQuality.Good, strict.Judge(still).Quality);
        Assert.Equal(ShotQuality.Frozen, strict.Judge(Render(128, 96, 16, 5)).Quality);
    }

    [Fact]
    public void FrozenVideoIsFrozen()
    {
        var clip = Render(128, 96, 20, 7);
        var verdict = Filter.Judge(Defects.Freeze(clip, 10));
        Assert.Equal(ShotQuality.Frozen, verdict.Quality);
        Assert.Equal(0, verdict.Scores.Motion);
        Assert.True(Filter.Judge(clip).Scores.Motion > 1);
    }

    [Theory]
    [InlineData(ShotQuality.Blurred)]
    [InlineData(ShotQuality.Frozen)]
    [InlineData(ShotQuality.Dark)]
    [InlineData(ShotQuality.Noisy)]
    [InlineData(ShotQuality.Cluttered)]
    public void EachDefectIsNamedOnUncompressedRenders(ShotQuality defect)
    {
        foreach (var (w, h) in new[] { (64, 64), (128, 96) })
            for (long i = 0; i < 3; i++)
            {
                var spoiled = Defects.Apply(Render(w, h, 17, 20 + i), defect, WorldRandom.For(9, i, "defect"));
                var verdict = Filter.Judge(spoiled);
                Assert.True(verdict.Quality == defect, $"{w}x{h} clip {i}: {verdict}");
            }
    }

    [Fact]
    public void ChecksRunInTheDocumentedOrder()
    {
        var t = QualityThresholds.Default;
        var good = new QualityScores(Sharpness: 1, Motion: 10, Brightness: 128, Noise: 0.5, Clutter: 0);
        var allBad = new QualityScores(Sharpness: 0, Motion: 0, Brightness: 0, Noise: 100, Clutter: 100);
        Assert.Equal(ShotQuality.Good, Filter.Classify(good));
        Assert.Equal(ShotQuality.Dark, Filter.Classify(allBad));
        Assert.Equal(ShotQuality.Noisy, Filter.Classify(allBad with { Brightness = t.MinBrightness }));
        Assert.Equal(ShotQuality.Cluttered, Filter.Classify(allBad with { Brightness = 128, Noise = t.MaxNoise }));
        Assert.Equal(ShotQuality.Frozen, Filter.Classify(allBad with { Brightness = 128, Noise = 0, Clutter = t.MaxClutter }));
        Assert.Equal(ShotQuality.Blurred, Filter.Classify(allBad with { Brightness = 128, Noise = 0, Clutter = 0, Motion = t.MinMotion }));
        Assert.Equal(ShotQuality.Good, Filter.Classify(good with { Sharpness = t.MinSharpness }));
        Assert.Equal(ShotQuality.Blurred, Filter.Classify(allBad with { Brightness = 128, Noise = 0, Clutter = 0, Motion = double.NaN }));
    }

    [Fact]
    public void RejectsMissingArguments()
    {
        Assert.Throws<ArgumentNullException>("clip", () => Filter.Score(null!));
        Assert.Throws<ArgumentNullException>("clip", () => Filter.Judge(null!));
        Assert.Throws<ArgumentNullException>("scores", () => Filter.Classify(null!));
    }

    [Fact]
    public void ThresholdValidationNamesTheField()
    {
        QualityThresholds.Default.Validate();
        Assert.Same(QualityThresholds.Default, new QualityFilter().Thresholds);
        foreach (var (bad, field) in new (QualityThresholds, string)[]
                 {
                     (new() { MinBrightness = -1 }, nameof(QualityThresholds.MinBrightness)),
                     (new() { MaxNoise = double.NaN }, nameof(QualityThresholds.MaxNoise)),
                     (new() { MaxClutter = 101 }, nameof(QualityThresholds.MaxClutter)),
                     (new() { MinMotion = double.PositiveInfinity }, nameof(QualityThresholds.MinMotion)),
                     (new() { MinSharpness = -0.1 }, nameof(QualityThresholds.MinSharpness)),
                 })
        {
            var error = Assert.Throws<ArgumentException>(field, bad.Validate);
            Assert.Contains(field, error.Message);
            Assert.Throws<ArgumentException>(field, () => new QualityFilter(bad));
        }
    }

    [Fact]
    public void SeparatesSpoiledFromGoodFootageThroughH264()
    {
        // Many short shots, most of them spoiled, and many near-duplicates (only Good shots are copied), so that every
        // kind is measured on dozens of shots. The seed is not one of those the thresholds were derived on.
        var options = new FootageOptions { Seed = 17, MinShots = 10, MaxShots = 16, MaxShotFrames = 28, BadFraction = 0.7, DuplicateFraction = 0.5 };
        var watch = Stopwatch.StartNew();
        var shots = FootageClips.Shots(options, videos: 12, "quality-test", minFrames: 2, _ => true).ToList();
        double generated = watch.Elapsed.TotalSeconds;
        watch.Restart();
        var judged = shots.Select(s => (Shot: s, Verdict: Filter.Judge(s.Frames))).ToList();
        double scoring = watch.Elapsed.TotalMilliseconds;
        long frames = shots.Sum(s => (long)Math.Min(QualityFilter.SampledFrames, s.Frames.FrameCount));

        var kinds = Enum.GetValues<ShotQuality>();
        output.WriteLine($"{shots.Count} shots; footage {generated:F1}s; scoring {scoring / shots.Count:F1} ms a clip, {scoring / frames:F2} ms a sampled frame");
        output.WriteLine("truth \\ verdict " + string.Join(" ", kinds.Select(k => $"{k,9}")));
        foreach (var truth in kinds)
            output.WriteLine($"{truth,-15} " + string.Join(" ", kinds.Select(v => $"{judged.Count(j => j.Shot.Truth.Quality == truth && j.Verdict.Quality == v),9}")));
        foreach (var truth in kinds)
        {
            var scores = judged.Where(j => j.Shot.Truth.Quality == truth).Select(j => j.Verdict.Scores).ToList();
            output.WriteLine($"{truth,-10} sharpness {Range(scores.Select(s => s.Sharpness))}  motion {Range(scores.Select(s => s.Motion))}  " +
                             $"brightness {Range(scores.Select(s => s.Brightness))}  noise {Range(scores.Select(s => s.Noise))}  clutter {Range(scores.Select(s => s.Clutter))}");
        }
        foreach (var (shot, verdict) in judged.Where(j => j.Verdict.Quality != j.Shot.Truth.Quality))
            output.WriteLine($"wrong: {shot.Id} {shot.Truth.Quality} {shot.Truth.Duplicate} CRF {shot.Crf} {shot.Frames.Width}x{shot.Frames.Height}x{shot.Frames.FrameCount} -> {verdict}");

        int rejected = judged.Count(j => !j.Verdict.IsGood);
        int invalid = judged.Count(j => j.Shot.Truth.Quality != ShotQuality.Good);
        int hits = judged.Count(j => !j.Verdict.IsGood && j.Shot.Truth.Quality != ShotQuality.Good);
        double precision = (double)hits / rejected, recall = (double)hits / invalid;
        var kept = judged.Where(j => j.Verdict.IsGood).ToList();
        double invalidKept = kept.Count(j => j.Shot.Truth.Quality != ShotQuality.Good) / (double)kept.Count;
        var duplicates = judged.Where(j => j.Shot.Truth.Duplicate is DuplicateVariant.Rescaled or DuplicateVariant.Cropped).ToList();
        output.WriteLine($"invalid: precision {precision:F3}, recall {recall:F3}; invalid among kept {invalidKept:P1} " +
                         $"(raw footage {invalid / (double)shots.Count:P1}); rescaled/cropped duplicates kept {duplicates.Count(j => j.Verdict.IsGood)}/{duplicates.Count}");

        foreach (var kind in kinds)
            Assert.True(shots.Count(s => s.Truth.Quality == kind) >= 15, $"only {shots.Count(s => s.Truth.Quality == kind)} {kind} shots");
        Assert.True(duplicates.Count >= 10, $"only {duplicates.Count} rescaled or cropped duplicates");
        Assert.True(precision >= 0.95, $"precision {precision:F3}");
        Assert.True(recall >= 0.95, $"recall {recall:F3}");
        Assert.True(invalidKept <= 0.03, $"invalid among kept {invalidKept:P1}");
    }

    private static string Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? "-" : $"[{finite.Min():G3}, {finite.Max():G3}]";
    }
}
