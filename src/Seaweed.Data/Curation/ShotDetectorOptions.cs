namespace Seaweed.Data.Curation;

/// <summary>
/// Thresholds of <see cref="ShotDetector"/>. "Distance" is the motion-tolerant mean squared difference of cell
/// means in Y/Cb/Cr levels (see <see cref="FrameCells.Distance"/>). The defaults sit in the gaps measured on 120
/// raw footage videos after H.264 at CRF 18–30 between what happens inside shots (noise, burned-in text, pans,
/// fast, growing and shrinking objects, frozen and dark shots) and what transitions do.
/// </summary>
public sealed record ShotDetectorOptions
{
    /// <summary>Frames on each side whose median step is a cut's local baseline.</summary>
    public int ContextFrames { get; init; } = 4;

    /// <summary>A cut's distance must reach this. Burned-in text that changes every few frames makes isolated
    /// steps of up to 26 (7.9× the steps around them), which this floor keeps out; the weakest cut measured was 52.</summary>
    public double CutFloor { get; init; } = 30;

    /// <summary>A cut's distance must also be this many times the larger of the median steps just before and just
    /// after it. Steps inside shots that clear <see cref="CutFloor"/> (noise, fast large objects) are at most 1.4×
    /// that baseline, because noise and motion persist; cuts were at least 3.7× (a cut into a noisy shot).</summary>
    public double CutContrast { get; init; } = 2.5;

    /// <summary>Lengths of dissolves and fades searched for, in frames (at least 2); footage uses 6 and 8.</summary>
    public int MinGradualFrames { get; init; } = 2;
    public int MaxGradualFrames { get; init; } = 10;

    /// <summary>A fade's darkest frame is at most this fraction of the mean luma of the darker end: fades
    /// measured reach 0.22; a dissolve never dips below both of its ends.</summary>
    public double FadeDepth { get; init; } = 0.5;

    /// <summary>The frames next to a fade's ends are at least this fraction darker than the ends, and each end is
    /// within it of its own neighbour outside. Fades start and end 16–32% darker; within shots mean luma changes
    /// by under 3% per frame.</summary>
    public double FadeEdge { get; init; } = 0.07;

    /// <summary>No frame-to-frame luma step inside a fade exceeds this fraction of the brighter end's luma: fade
    /// steps measured are at most 0.22; a cut to or from a dark shot steps by over 0.8.</summary>
    public double FadeMaxStep { get; init; } = 0.4;

    /// <summary>Both ends of a fade have at least this mean luma: darker frames are black for this purpose,
    /// and compression noise swamps the ratios above (the darkest fade end measured was 7.4).</summary>
    public double FadeMinLuma { get; init; } = 4;

    /// <summary>A dissolve changes the picture by at least this distance from its last frame before to its
    /// first frame after; the weakest dissolve measured changed it by 106.</summary>
    public double DissolveFloor { get; init; } = 60;

    /// <summary>A dissolve's change must be this many times the change over as many frames just before or just
    /// after it (the smaller of the two). Motion inside shots changes the picture steadily (at most 3.7× measured,
    /// with burned-in text), while dissolves measured at least 5.4×.</summary>
    public double DissolveContrast { get; init; } = 4.5;

    /// <summary>Most a dissolve frame's position between its ends (projected on the difference of the ends) may
    /// stray from an even ramp, with the frame before and after each end required to sit on its end: dissolves
    /// measured stray by at most 0.153; a window one frame too long or too short strays by about 1/(length + 1).</summary>
    public double MaxRampDeviation { get; init; } = 0.2;

    /// <summary>Most of a dissolve frame that may be left unexplained by a blend of the two ends, relative to
    /// their squared difference: dissolves measured leave at most 0.19 (motion during the blend),
    /// steady motion inside shots often 0.3 and more.</summary>
    public double MaxBlendResidual { get; init; } = 0.4;

    /// <summary>No single step inside a dissolve may exceed this share of its total change: steps of a dissolve
    /// measured are at most 0.2 of it (0.02 typically), while a cut inside a window is the whole change.</summary>
    public double MaxStepShare { get; init; } = 0.5;

    public void Validate()
    {
        if (ContextFrames < 1) throw new ArgumentOutOfRangeException(nameof(ContextFrames), ContextFrames, "ContextFrames must be at least 1");
        if (MinGradualFrames < 2) throw new ArgumentOutOfRangeException(nameof(MinGradualFrames), MinGradualFrames, "MinGradualFrames must be at least 2");
        if (MaxGradualFrames < MinGradualFrames)
            throw new ArgumentOutOfRangeException(nameof(MaxGradualFrames), MaxGradualFrames, $"MaxGradualFrames must be at least MinGradualFrames ({MinGradualFrames})");
        foreach (var (name, value) in new[] { (nameof(CutFloor), CutFloor), (nameof(CutContrast), CutContrast),
                     (nameof(DissolveFloor), DissolveFloor), (nameof(DissolveContrast), DissolveContrast), (nameof(FadeMinLuma), FadeMinLuma),
                     (nameof(MaxRampDeviation), MaxRampDeviation), (nameof(MaxBlendResidual), MaxBlendResidual) })
            if (!(value > 0 && double.IsFinite(value))) throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive number");
        foreach (var (name, value) in new[] { (nameof(FadeDepth), FadeDepth), (nameof(FadeEdge), FadeEdge),
                     (nameof(FadeMaxStep), FadeMaxStep), (nameof(MaxStepShare), MaxStepShare) })
            if (!(value > 0 && value < 1)) throw new ArgumentOutOfRangeException(name, value, $"{name} must be in (0, 1)");
    }
}
