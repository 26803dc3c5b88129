namespace Seaweed.Data.Curation;

/// <summary>
/// Where <see cref="QualityFilter"/> draws the line on each score. The defaults sit in the gaps measured on about
/// 700 footage shots through H.264 (CRF 18–30, 96–160 px a side, near-duplicates included) between Good shots and
/// each kind of spoiled shot, near the geometric middle of each gap so that both sides keep a margin of at least
/// a third of their value; the figures quoted are those measurements.
/// </summary>
public sealed record QualityThresholds
{
    /// <summary>Mean luma below this is Dark. Dimmed shots measured at most 28 (a gain of 0.16 can reach at most about
    /// 32, on the sand background); the darkest Good shots, on the slate background, at least 61.</summary>
    public double MinBrightness { get; init; } = 45;

    /// <summary>Noise sigma above this is Noisy. Noisy shots measured at least 13 luma levels after compression
    /// (which removes much of it); all others, textured backgrounds included, at most 0.9.</summary>
    public double MaxNoise { get; init; } = 3.5;

    /// <summary>Stroke density above this (percent) is Cluttered. Burned-in text measured at least 5.7 in its band;
    /// clean shots at most 0.31 (the tips of small shapes). Noise makes strokes too (up to 2.6), which is why the
    /// noise check runs first.</summary>
    public double MaxClutter { get; init; } = 1.3;

    /// <summary>Changed pixels below this (percent) is Frozen. Frozen shots measured at most 0.12 (compression
    /// flicker); the stillest Good shots, a small object on a plain background, at least 1.28.</summary>
    public double MinMotion { get; init; } = 0.4;

    /// <summary>Sharpness below this is Blurred. Blurred shots measured at most 0.43; Good shots at least 0.58, the
    /// softest being shots compressed at CRF 28–30 (rescaled and cropped near-duplicates at least 0.63).</summary>
    public double MinSharpness { get; init; } = 0.5;

    public static QualityThresholds Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentException"/> naming the first threshold outside its score's range.</summary>
    public void Validate()
    {
        Check(MinBrightness, 0, 255, nameof(MinBrightness));
        Check(MaxNoise, 0, 255, nameof(MaxNoise));
        Check(MaxClutter, 0, 100, nameof(MaxClutter));
        Check(MinMotion, 0, 100, nameof(MinMotion));
        Check(MinSharpness, 0, 2, nameof(MinSharpness));
    }

    private static void Check(double value, double min, double max, string name)
    {
        if (!(value >= min && value <= max))
            throw new ArgumentException($"{name}: must be a number in [{min}, {max}], got {value}", name);
    }
}
