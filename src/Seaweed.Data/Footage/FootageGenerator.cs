using Seaweed.Data.Imaging;
using Seaweed.Data.World;

namespace Seaweed.Data.Footage;

/// <summary>How raw footage is made: shots per video, shot lengths, and how often things go wrong.</summary>
public sealed record FootageOptions
{
    public long Seed { get; init; }
    public int MinShots { get; init; } = 8;
    public int MaxShots { get; init; } = 14;
    public int MinShotFrames { get; init; } = 16;
    public int MaxShotFrames { get; init; } = 40;
    public double Fps { get; init; } = 8;
    public double BadFraction { get; init; } = 0.35;
    public double DuplicateFraction { get; init; } = 0.12;
    public double DissolveFraction { get; init; } = 0.12;
    public double FadeFraction { get; init; } = 0.1;
    public double BorderFraction { get; init; } = 0.6;
    public IReadOnlyList<(int Width, int Height)> ContentSizes { get; init; } = [(128, 96), (128, 128), (160, 96), (96, 128)];

    public void Validate()
    {
        if (MinShots < 1 || MaxShots < MinShots) throw new ArgumentException($"MinShots/MaxShots: need 1 <= {MinShots} <= {MaxShots}", nameof(MinShots));
        if (MinShotFrames < DissolveFrames + 4 || MaxShotFrames < MinShotFrames)
            throw new ArgumentException($"MinShotFrames/MaxShotFrames: need {DissolveFrames + 4} <= {MinShotFrames} <= {MaxShotFrames}", nameof(MinShotFrames));
        if (!double.IsFinite(Fps) || Fps <= 0) throw new ArgumentException("Fps: must be a positive number", nameof(Fps));
        foreach (var (name, v) in new[] { (nameof(BadFraction), BadFraction), (nameof(DuplicateFraction), DuplicateFraction),
                     (nameof(DissolveFraction), DissolveFraction), (nameof(FadeFraction), FadeFraction), (nameof(BorderFraction), BorderFraction) })
            if (!(v >= 0 && v <= 1)) throw new ArgumentException($"{name}: must be in [0, 1], got {v}", name);
        if (DissolveFraction + FadeFraction > 1) throw new ArgumentException("DissolveFraction + FadeFraction: must not exceed 1", nameof(FadeFraction));
        if (ContentSizes.Count == 0 || ContentSizes.Any(s => s.Width < 32 || s.Height < 32 || s.Width % 2 != 0 || s.Height % 2 != 0))
            throw new ArgumentException("ContentSizes: sizes must be even and at least 32x32", nameof(ContentSizes));
    }

    internal const int DissolveFrames = 6;
    internal const int FadeFrames = 8;
}

/// <summary>
/// Long "raw" videos of many world shots joined by cuts, dissolves and fades through black, some inside
/// letterbox or pillarbox bars, some shots spoiled (blurred, frozen, dark, noisy, cluttered with burned-in text),
/// and near-duplicates of earlier shots (re-encoded in another video, rescaled, or cropped). Video v depends only
/// on (seed, v). Shot content comes from the training split only.
/// </summary>
public sealed class FootageGenerator
{
    private readonly FootageOptions options;

    public FootageGenerator(FootageOptions options)
    {
        options.Validate();
        this.options = options;
    }

    public FootageOptions Options => options;

    public static string VideoId(int video) => $"raw{video:D5}";
    public static string SourceId(int video, int shot) => $"{VideoId(video)}-s{shot:D2}";

    private sealed record VideoPlan((int Width, int Height) Content, int Shots, int BarTop, int BarLeft);

    private sealed record ShotPlan(int Frames, ShotQuality Quality, (int Video, int Shot)? DuplicateOf);

    private VideoPlan PlanVideo(int video)
    {
        var rng = WorldRandom.For(options.Seed, video, "footage-video");
        var content = rng.Pick(options.ContentSizes);
        int shots = rng.Next(options.MinShots, options.MaxShots + 1);
        int bar = 2 * rng.Next(4, 9);
        return rng.Chance(options.BorderFraction)
            ? rng.Chance(0.5) ? new VideoPlan(content, shots, bar, 0) : new VideoPlan(content, shots, 0, bar)
            : new VideoPlan(content, shots, 0, 0);
    }

    private ShotPlan PlanShot(int video, int shot)
    {
        var rng = WorldRandom.For(options.Seed, video * 1000L + shot, "footage-shot");
        int frames = rng.Next(options.MinShotFrames, options.MaxShotFrames + 1);
        if (rng.Chance(options.DuplicateFraction))
        {
            int v = rng.Next(Math.Max(0, video - 3), video + 1);
            int shots = v == video ? shot : PlanVideo(v).Shots;
            if (shots > 0)
            {
                int k = rng.Next(0, shots);
                var source = PlanShot(v, k);
                if (source is { Quality: ShotQuality.Good, DuplicateOf: null }) return source with { DuplicateOf = (v, k) };
            }
        }
        var quality = rng.Chance(options.BadFraction) ? (ShotQuality)rng.Next(1, Enum.GetValues<ShotQuality>().Length) : ShotQuality.Good;
        return new ShotPlan(frames, quality, null);
    }

    private WorldClip SourceClip(int video, int shot, int frames)
    {
        var world = new WorldGenerator(new WorldOptions
        {
            Seed = options.Seed,
            Sizes = [PlanVideo(video).Content],
            FrameCounts = [frames],
            Fps = options.Fps,
            StillFraction = 0,
        });
        return world.Clip(video * 1000L + shot);
    }

    public RawFootage Video(int video)
    {
        if (video < 0) throw new ArgumentOutOfRangeException(nameof(video), video, "video index must be non-negative");
        var plan = PlanVideo(video);
        var (cw, ch) = plan.Content;
        var rng = WorldRandom.For(options.Seed, video, "footage-edit");
        var frames = new List<byte[]>();
        var shots = new List<ShotTruth>();
        var transitions = new List<TransitionTruth>();
        for (int k = 0; k < plan.Shots; k++)
        {
            var (pixels, truth) = RenderShot(video, k, plan, rng);
            int start = frames.Count, skip = 0;
            if (k > 0)
            {
                double roll = rng.NextDouble();
                var kind = roll < options.DissolveFraction ? TransitionKind.Dissolve
                    : roll < options.DissolveFraction + options.FadeFraction ? TransitionKind.Fade : TransitionKind.Cut;
                (int tStart, int tEnd, skip) = Join(frames, pixels, kind);
                transitions.Add(new TransitionTruth(kind, tStart, tEnd));
                shots[^1] = shots[^1] with { End = Math.Min(shots[^1].End, tStart) };
                start = tEnd;
            }
            for (int t = skip; t < pixels.FrameCount; t++) frames.Add(pixels.ReadFrame(t).ToArray());
            shots.Add(truth with { Start = start, End = frames.Count });
        }

        int width = cw + 2 * plan.BarLeft, height = ch + 2 * plan.BarTop;
        var rect = new PixelRect(plan.BarLeft, plan.BarTop, cw, ch);
        var output = new VideoFrames(width, height, frames.Count, options.Fps);
        for (int t = 0; t < frames.Count; t++) Paste(frames[t], cw, ch, output.Frame(t), width, rect);
        var truthSidecar = new FootageTruth(VideoId(video), width, height, options.Fps, frames.Count, rect, shots, transitions);
        return new RawFootage(output, truthSidecar);
    }

    private (VideoFrames Pixels, ShotTruth Truth) RenderShot(int video, int shot, VideoPlan plan, WorldRandom rng)
    {
        var shotPlan = PlanShot(video, shot);
        if (shotPlan.DuplicateOf is { } src)
        {
            var clip = SourceClip(src.Video, src.Shot, shotPlan.Frames);
            var pixels = clip.Render();
            DuplicateVariant variant;
            if ((pixels.Width, pixels.Height) != plan.Content)
            {
                variant = DuplicateVariant.Rescaled;
                pixels = FrameOps.Resize(pixels, plan.Content.Width, plan.Content.Height);
            }
            else if (src.Video == video || rng.Chance(0.5))
            {
                variant = DuplicateVariant.Cropped;
                pixels = Defects.CropAndRescale(pixels, rng.Uniform(0.86, 0.94));
            }
            else variant = DuplicateVariant.ReEncoded;
            return (pixels, new ShotTruth(0, 0, SourceId(src.Video, src.Shot), ShotQuality.Good, clip.Content, variant));
        }
        var own = SourceClip(video, shot, shotPlan.Frames);
        var spoiled = Defects.Apply(own.Render(), shotPlan.Quality, WorldRandom.For(options.Seed, video * 1000L + shot, "footage-defect"));
        return (spoiled, new ShotTruth(0, 0, SourceId(video, shot), shotPlan.Quality, own.Content, null));
    }

    /// <summary>Joins the next shot onto the timeline; returns the transition's frame range and how many of the
    /// next shot's leading frames were consumed by it.</summary>
    private static (int Start, int End, int Skip) Join(List<byte[]> timeline, VideoFrames next, TransitionKind kind)
    {
        int end = timeline.Count;
        switch (kind)
        {
            case TransitionKind.Dissolve:
            {
                int n = FootageOptions.DissolveFrames;
                for (int k = 0; k < n; k++)
                {
                    double a = (k + 1.0) / (n + 1);
                    var prev = timeline[end - n + k];
                    var into = next.ReadFrame(k);
                    for (int i = 0; i < prev.Length; i++) prev[i] = FrameOps.ToByte(prev[i] * (1 - a) + into[i] * a);
                }
                return (end - n, end, n);
            }
            case TransitionKind.Fade:
            {
                int half = FootageOptions.FadeFrames / 2;
                for (int k = 0; k < half; k++)
                {
                    double gain = 1 - (k + 1.0) / (half + 1);
                    var prev = timeline[end - half + k];
                    for (int i = 0; i < prev.Length; i++) prev[i] = FrameOps.ToByte(prev[i] * gain);
                }
                for (int k = 0; k < half; k++)
                {
                    double gain = (k + 1.0) / (half + 1);
                    var frame = next.ReadFrame(k).ToArray();
                    for (int i = 0; i < frame.Length; i++) frame[i] = FrameOps.ToByte(frame[i] * gain);
                    timeline.Add(frame);
                }
                return (end - half, end + half, half);
            }
            default:
                return (end, end, 0);
        }
    }

    private static void Paste(byte[] content, int cw, int ch, Span<byte> frame, int width, PixelRect rect)
    {
        frame.Clear();
        for (int y = 0; y < ch; y++)
            content.AsSpan(y * cw * 3, cw * 3).CopyTo(frame.Slice(((rect.Y + y) * width + rect.X) * 3, cw * 3));
    }
}
