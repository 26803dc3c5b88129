using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>
/// Rejects spoiled clips without learned models: it scores a clip (see <see cref="QualityScores"/>) on up to
/// <see cref="SampledFrames"/> evenly spaced frames and compares the scores with <see cref="QualityThresholds"/>.
/// Input is a shot's frames with any letterbox bars already cropped off.
/// </summary>
public sealed class QualityFilter
{
    /// <summary>Frames scored per clip, first and last included: defects last the whole shot, so a few frames tell.</summary>
    public const int SampledFrames = 8;

    // A channel must change by more than this for a pixel to count as moving: above H.264's frame-to-frame
    // flicker on a still picture, below the contrast of every object and texture edge in the world.
    private const int MotionLevels = 12;

    public QualityFilter(QualityThresholds? thresholds = null)
    {
        Thresholds = thresholds ?? QualityThresholds.Default;
        Thresholds.Validate();
    }

    public QualityThresholds Thresholds { get; }

    public QualityScores Score(VideoFrames clip)
    {
        ArgumentNullException.ThrowIfNull(clip);
        int samples = Math.Min(SampledFrames, clip.FrameCount);
        var meter = new QualityMeter(clip.Width, clip.Height);
        var first = clip.ReadFrame(0);
        double motion = clip.FrameCount == 1 ? double.NaN : 0;
        for (int i = 0; i < samples; i++)
        {
            int t = samples == 1 ? 0 : (int)Math.Round(i * (clip.FrameCount - 1.0) / (samples - 1));
            var frame = clip.ReadFrame(t);
            meter.Add(frame);
            if (i > 0) motion = Math.Max(motion, QualityMeter.ChangedPercent(first, frame, MotionLevels));
        }
        return new QualityScores(meter.Sharpness, motion, meter.Brightness, meter.Noise, meter.Clutter);
    }

    /// <summary>
    /// The first check that fails, in this order: Dark, Noisy, Cluttered, Frozen, Blurred. Each check comes before
    /// those whose scores its defect would corrupt: dimming scales down every contrast (and so motion, noise and
    /// edges); noise reads as motion, as sharp detail and as strokes; burned-in text is sharp, and it changes every
    /// few frames. Motion and sharpness do not disturb each other. Frozen does not apply to a single frame.
    /// </summary>
    public ShotQuality Classify(QualityScores scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var t = Thresholds;
        if (scores.Brightness < t.MinBrightness) return ShotQuality.Dark;
        if (scores.Noise > t.MaxNoise) return ShotQuality.Noisy;
        if (scores.Clutter > t.MaxClutter) return ShotQuality.Cluttered;
        if (!double.IsNaN(scores.Motion) && scores.Motion < t.MinMotion) return ShotQuality.Frozen;
        if (scores.Sharpness < t.MinSharpness) return ShotQuality.Blurred;
        return ShotQuality.Good;
    }

    public QualityVerdict Judge(VideoFrames clip)
    {
        var scores = Score(clip);
        return new QualityVerdict(Classify(scores), scores);
    }
}
