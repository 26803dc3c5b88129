using System.Diagnostics;
using Seaweed.Data.Curation;
using Seaweed.Data.Footage;
using Seaweed.Data.Imaging;
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

    /// <summary>A red square or diamond, half the frame across, on grey: pixel-aligned, so the square's edges are
    /// one-pixel steps.</summary>
    private static VideoFrames Shape(int size, bool diamond)
    {
        var video = new VideoFrames(size, size, 2, 8);
        for (int t = 0; t < 2; t++)
        {
            var frame = video.Frame(t);
            for (int y = 0; y < size; y++)
                for (int x = 0; x < size; x++)
                {
                    int dx = Math.Abs(2 * x + 1 - size), dy = Math.Abs(2 * y + 1 - size);
                    bool inside = diamond ? dx + dy <= size : Math.Max(dx, dy) <= size / 2;
                    int i = (y * size + x) * 3;
                    (frame[i], frame[i + 1], frame[i + 2]) = inside ? ((byte)220, (byte)40, (byte)40) : ((byte)128, (byte)128, (byte)128);
                }
        }
        return video;
    }

    [Fact]
    public void SharpnessIsTheEdgeWidthAcrossTheEdgeRelativeToTheShortSide()
    {
        foreach (int size in new[] { 96, 128 })
        {
            // A one-pixel step rises 20–80% over 0.6 pixels.
            Assert.InRange(Filter.Score(Shape(size, diamond: false)).Sharpness, 0.95 * size / 60, 1.05 * size / 60);
            // A blur of 2.5% of the short side rises over 1.68 sigma: about the same score at either size, and for
            // edges at 45° to the rows and columns. It reads a little sharper than that, as the faint tails of the rise
            // (under a level per two pixels) are not followed and blurred corners are narrower across.
            double expected = 1 / (1.68 * 2.5);
            foreach (bool diamond in new[] { false, true })
            {
                double blurred = Filter.Score(FrameOps.GaussianBlur(Shape(size, diamond), 0.025 * size)).Sharpness;
                Assert.True(blurred > 0.95 * expected && blurred < 1.15 * expected, $"{size}px {(diamond ? "diamond" : "square")}: {blurred:F3}, expected {expected:F3}");
            }
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

    // Many short shots, most of them spoiled, and many near-duplicates (only Good shots are copied), so that every kind
    // is measured on dozens of shots. Seeds 1–4 are those the thresholds were derived on; this one is held out.
    private static readonly FootageOptions HeldOutFootage =
        new() { Seed = 17, MinShots = 10, MaxShots = 16, MaxShotFrames = 28, BadFraction = 0.7, DuplicateFraction = 0.5 };

    private const int FootageVideos = 12;

    [Fact]
    public async Task SeparatesSpoiledFromGoodFootageAsThePipelineReadsIt()
    {
        var watch = Stopwatch.StartNew();
        var shots = await FootageClips.StoredShotsAsync(HeldOutFootage, FootageVideos, "quality-test", minFrames: 2, _ => true);
        Measure(shots, "stored and decoded as the pipeline does", watch.Elapsed.TotalSeconds);
    }

    /// <summary>The same footage through libx264's default preset and ffmpeg's default decode, which repeats chroma
    /// samples rather than interpolating them: sharper chroma edges, blockier compression.</summary>
    [Fact]
    public void SeparatesSpoiledFromGoodFootageThroughPlainH264()
    {
        var watch = Stopwatch.StartNew();
        var shots = FootageClips.Shots(HeldOutFootage, FootageVideos, "quality-test", minFrames: 2, _ => true).ToList();
        Measure(shots, "round-tripped through plain H.264", watch.Elapsed.TotalSeconds);
    }

    private void Measure(IReadOnlyList<FootageShot> shots, string path, double footageSeconds)
    {
        var watch = Stopwatch.StartNew();
        var judged = shots.Select(s => (Shot: s, Verdict: Filter.Judge(s.Frames))).ToList();
        double scoring = watch.Elapsed.TotalMilliseconds;
        long frames = shots.Sum(s => (long)Math.Min(QualityFilter.SampledFrames, s.Frames.FrameCount));

        var kinds = Enum.GetValues<ShotQuality>();
        output.WriteLine($"{shots.Count} shots {path}; footage {footageSeconds:F1}s; scoring {scoring / shots.Count:F1} ms a clip, {scoring / frames:F2} ms a sampled frame");
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
        var good = judged.Where(j => j.Shot.Truth.Quality == ShotQuality.Good).Min(j => j.Verdict.Scores.Sharpness);
        var blurred = judged.Where(j => j.Shot.Truth.Quality == ShotQuality.Blurred).Max(j => j.Verdict.Scores.Sharpness);
        output.WriteLine($"sharpness: softest Good {good:F3}, sharpest Blurred {blurred:F3}, ratio {good / blurred:F2}");

        foreach (var kind in kinds)
            Assert.True(shots.Count(s => s.Truth.Quality == kind) >= 15, $"only {shots.Count(s => s.Truth.Quality == kind)} {kind} shots");
        Assert.True(duplicates.Count >= 10, $"only {duplicates.Count} rescaled or cropped duplicates");
        Assert.True(precision >= 0.95, $"precision {precision:F3}");
        Assert.True(recall >= 0.95, $"recall {recall:F3}");
        Assert.True(invalidKept <= 0.03, $"invalid among kept {invalidKept:P1}");
        // Good and Blurred clips must not merely fall on either side of the threshold: both keep a margin.
        Assert.True(good >= 1.1 * Filter.Thresholds.MinSharpness && blurred * 1.1 <= Filter.Thresholds.MinSharpness,
            $"sharpness margin: softest Good {good:F3}, sharpest Blurred {blurred:F3}, threshold {Filter.Thresholds.MinSharpness}");
    }

    private static string Range(IEnumerable<double> values)
    {
        var finite = values.Where(double.IsFinite).ToList();
        return finite.Count == 0 ? "-" : $"[{finite.Min():G3}, {finite.Max():G3}]";
    }
}
