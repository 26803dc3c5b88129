using Seaweed.Data.World;

namespace Seaweed.Data.Understanding;

/// <summary>
/// Turns measured tracks into the world's motion words. Everything is in fractions of the frame over the clip, the
/// units of <see cref="Kinematics"/>: an object's world travel is its on-screen travel minus the background's (a pan
/// moves the background and every object on screen alike). A clip cut out of a longer shot shows only part of
/// each motion, so the thresholds are a fraction of a whole clip's travel, and directions decide the rest.
/// </summary>
internal static class MotionReader
{
    // Travel or size change below this fraction of a whole clip's is read as none.
    private const double Visible = 0.3;

    // A pan is accepted only where it explains at least half of the background's measured motion energy.
    private const double PanResidual = 0.5;

    // Weight of the background's own fit when the objects cannot tell candidate pans apart.
    private const double BackgroundWeight = 0.05;

    private static readonly Motion[] Translations = [Motion.Left, Motion.Right, Motion.Up, Motion.Down, Motion.Diagonal];
    private static readonly CameraPan[] Pans = [CameraPan.Left, CameraPan.Right, CameraPan.Up, CameraPan.Down];

    private static readonly double AxisTravel = Kinematics.Travel(Motion.Right, 1, 1).Dx;
    private static readonly double GrowChange = Math.Log(Kinematics.RadiusScale(Motion.Grow, 1));
    private static readonly double ShrinkChange = Math.Log(Kinematics.RadiusScale(Motion.Shrink, 1));
    private static readonly double PanTravel = Kinematics.CameraTravel(CameraPan.Right, 1, 1).Dx;

    /// <summary>World motion from world travel (fractions of the frame) and ln(end radius / start radius).</summary>
    public static Motion Classify(double travelX, double travelY, double radiusChange)
    {
        double travel = Math.Sqrt(travelX * travelX + travelY * travelY) / AxisTravel;
        double change = radiusChange >= 0 ? radiusChange / GrowChange : radiusChange / ShrinkChange;
        if (travel < Visible && change < Visible) return Motion.Static;
        if (change > travel) return radiusChange >= 0 ? Motion.Grow : Motion.Shrink;
        return Translations.MaxBy(m => Alignment(m, travelX, travelY));
    }

    /// <summary>
    /// The radius at the start of a grow or shrink, from the line fitted to the clip's radii. A clip cut from a longer
    /// shot may begin after the motion began. The radius is linear in the shot's progress, r = r0·(1 + g·p), so the
    /// fitted slope relative to the radius tells how long the shot is; assuming the frames the clip lacks are missing
    /// from both ends alike (transitions and trims take frames from either end), the progress at the clip's first
    /// frame, and with it r0, follow. On a whole shot this gives back the first frame's radius.
    /// </summary>
    public static double MotionStartRadius(double first, double last, int frames, Motion motion)
    {
        double g = Kinematics.RadiusScale(motion, 1) - 1, slope = (last - first) / (frames - 1);
        if (g == 0 || slope * g <= 0) return first;
        double span = (g * first / slope + g * (frames - 1) / 2) / (1 + g / 2);
        double offset = Math.Max(0, (span - (frames - 1)) / 2);
        return first / (1 + g * offset / span);
    }

    /// <summary>
    /// The camera pan, and the background's on-screen shift over the clip (fractions of the frame). A pan must move
    /// the background far enough and explain its motion. Where the texture leaves several pans equally good
    /// (stripes only show motion across them), the one that leaves the objects' world motions nearest to motions
    /// the world has wins: a clip shows the same fraction of every motion in it, so the pan's own travel sets the
    /// scale at which each object's travel should be one of the world's.
    /// </summary>
    public static (CameraPan Pan, double ShiftX, double ShiftY) Camera(BackgroundMotion background, IReadOnlyList<(double X, double Y)> screenTravel,
        int frames, int width, int height)
    {
        double still = background.Disagreement(0, 0);
        var best = (Pan: CameraPan.None, ShiftX: 0.0, ShiftY: 0.0);
        double bestScore = double.MaxValue;
        foreach (var pan in Pans)
        {
            var (cx, cy) = Kinematics.CameraTravel(pan, 1, 1);
            double ux = -Math.Sign(cx), uy = -Math.Sign(cy);
            // The best magnitude a along the pan's direction u: a = uᵀMv / uᵀMu.
            double uMu = ux * ux * background.Mxx + 2 * ux * uy * background.Mxy + uy * uy * background.Myy;
            double uMv = ux * (background.Mxx * background.Vx + background.Mxy * background.Vy) + uy * (background.Mxy * background.Vx + background.Myy * background.Vy);
            if (uMu <= 0) continue;
            double a = uMv / uMu;
            if (a <= 0) continue;
            double shiftX = a * ux * (frames - 1) / width, shiftY = a * uy * (frames - 1) / height;
            double scale = (Math.Abs(shiftX) + Math.Abs(shiftY)) / PanTravel;
            if (scale < Visible) continue;
            double residual = background.Disagreement(a * ux, a * uy);
            if (residual > PanResidual * still) continue;
            double score = screenTravel.Sum(s => Implausibility(s.X - shiftX, s.Y - shiftY, scale)) + BackgroundWeight * residual / still;
            if (score < bestScore) (best, bestScore) = ((pan, shiftX, shiftY), score);
        }
        return best;
    }

    /// <summary>How far a world travel is from the nearest of the world's motions, each shown at the given scale.</summary>
    private static double Implausibility(double x, double y, double scale) =>
        Vocabulary.Motions.Min(m =>
        {
            var (dx, dy) = Kinematics.Travel(m, 1, 1);
            return Math.Sqrt((x - scale * dx) * (x - scale * dx) + (y - scale * dy) * (y - scale * dy));
        });

    private static double Alignment(Motion m, double x, double y)
    {
        var (ex, ey) = Direction(m);
        return x * ex + y * ey;
    }

    private static (double X, double Y) Direction(Motion m)
    {
        var (dx, dy) = Kinematics.Travel(m, 1, 1);
        double norm = Math.Sqrt(dx * dx + dy * dy);
        return (dx / norm, dy / norm);
    }
}
