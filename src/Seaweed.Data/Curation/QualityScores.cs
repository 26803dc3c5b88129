using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>
/// What <see cref="QualityFilter"/> measures on a clip. Every score is a mean, a percentage or a ratio, so none grows
/// with the frame size.
/// </summary>
/// <param name="Sharpness">How narrow the clip's sharpest object edges are, relative to the frame: the short side
/// divided by 100 × the edge width (its 20–80% rise, across the edge, in pixels), i.e. the reciprocal of the width
/// in percent of the short side. The width read is the one below which the narrowest 15% of the contrast-weighted
/// object edges lie (luma edges weighted double). A clean one-pixel step scores about short side / 60 (1.6 at
/// 96 pixels), a Gaussian blur of sigma 2 % of the short side about 0.3; 0 when the picture has no object edges.
/// Compression softens edges by pixels rather than in proportion, so shrinking a compressed clip makes it read a
/// little softer.</param>
/// <param name="Motion">Percentage of pixels (0–100) that change visibly (some channel by more than 12 levels)
/// between the first sampled frame and the most different later one; NaN for a single frame, where motion does not
/// apply.</param>
/// <param name="Brightness">Mean Rec. 601 luma over the sampled frames, 0–255.</param>
/// <param name="Noise">Estimated standard deviation of pixel noise in luma levels, from the median absolute response
/// of a Laplacian-like filter that smooth content and edges leave near zero.</param>
/// <param name="Clutter">Percentage of pixels (0–100) that are thin bright strokes (1–3 px wide, far brighter than both
/// sides), in the horizontal band of the frame where they are densest: burned-in text.</param>
public sealed record QualityScores(double Sharpness, double Motion, double Brightness, double Noise, double Clutter);

/// <summary>The verdict on one clip and the scores it was reached from.</summary>
public sealed record QualityVerdict(ShotQuality Quality, QualityScores Scores)
{
    public bool IsGood => Quality == ShotQuality.Good;
}
