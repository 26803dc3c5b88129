namespace Seaweed.Data.Curation;

/// <summary>
/// Where <see cref="QualityFilter"/> draws the line on each score. The defaults sit in the gaps measured between
/// Good shots and each kind of spoiled shot on about 640 footage shots (CRF 18–30, 96–160 px a side, near-duplicates
/// included) read two ways: as the curation pipeline reads synthetic footage (encoded by <c>FootageStore</c> at
/// preset veryfast, decoded by <c>VideoIO</c> with interpolated chroma) and through plain H.264 (preset medium,
/// ffmpeg's default decode, which repeats chroma samples). Each sits near the geometric middle of its gap, so that
/// both sides keep a margin; the figures quoted are the extremes over both ways of reading.
/// </summary>
public sealed record QualityThresholds
{
    /// <summary>Mean luma below this is Dark. Dimmed shots measured at most 29 (a gain of 0.16 can reach at most about
    /// 32, on the sand background); the darkest Good shots, on the slate background, at least 62.</summary>
    public double MinBrightness { get; init; } = 45;

    /// <summary>Noise sigma above this is Noisy. Noisy shots measured at least 12 luma levels after compression
    /// (which removes much of it); all others, textured backgrounds included, at most 1.0.</summary>
    public double MaxNoise { get; init; } = 3.5;

    /// <summary>Stroke density above this (percent) is Cluttered. Burned-in text measured at least 5.9 in its band;
    /// clean shots at most 0.39 (the tips of small shapes). Noise makes strokes too (up to 2.5), which is why the
    /// noise check runs first.</summary>
    public double MaxClutter { get; init; } = 1.3;

    /// <summary>Changed pixels below this (percent) is Frozen. Frozen shots measured at most 0.23 (compression
    /// flicker); the stillest Good shots, a small object on a plain background, at least 1.29. Clips of only 3–4
    /// frames of a slowly shrinking object can barely change (0.36 and 0.69 were seen); the threshold does not chase
    /// them at the cost of the margin below it.</summary>
    public double MinMotion { get; init; } = 0.4;

    /// <summary>Sharpness below this is Blurred. Blurred shots measured at most 0.35 (0.33 as the pipeline reads
    /// them); Good shots at least 0.48, the softest being objects that differ from their background mostly in chroma,
    /// compressed at CRF 24–30 (rescaled and cropped near-duplicates at least 0.49).</summary>
    public double MinSharpness { get; init; } = 0.4;

    public static QualityThresholds Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first threshold outside its score's range.</summary>
    public void Validate()
    {
        Check(MinBrightness, 0, 255, nameof(MinBrightness));
        Check(MaxNoise, 0, 255, nameof(MaxNoise));
        Check(MaxClutter, 0, 100, nameof(MaxClutter));
        Check(MinMotion, 0, 100, nameof(MinMotion));
        Check(MinSharpness, 0, 100, nameof(MinSharpness));
    }

    private static void Check(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentException($"{name}: must be a number in [{min}, {max}], got {value}", name);
    }
}
