using Seaweed.Data.Footage;

namespace Seaweed.Data.Curation;

/// <summary>
/// What <see cref="QualityFilter"/> measures on a clip. Every score is a mean, a percentage or a ratio, so none grows
/// with the frame size; sharpness is measured in pixels, though, so shrinking a clip makes it read sharper.
/// </summary>
/// <param name="Sharpness">How abrupt the clip's sharpest object edges are. An edge's steepness is its steepest
/// one-pixel step divided by its contrast over 9 pixels, about 1 / (edge width in pixels): 1 for a one-pixel step, about
/// 0.2 for a Gaussian blur of sigma 2 (compression overshoot can push it a little above 1). The score is the geometric
/// mean of the contrast-weighted 95th percentiles over luma edges and over chroma edges (either alone when the other
/// has none), and 0 when the picture has no object edges at all.</param>
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
