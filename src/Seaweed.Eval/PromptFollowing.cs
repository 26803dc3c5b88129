using Seaweed.Data;
using Seaweed.Data.World;
using Seaweed.Eval.Reconstruction;

namespace Seaweed.Eval;

/// <summary>Accuracies as fractions rounded to 4 digits, with the counts they are over: what the eval commands print.</summary>
public sealed record AccuracyFigures(int Clips, int Objects, double Colour, double Shape, double Motion, double All)
{
    public static AccuracyFigures Of(ProbeAccuracy a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new AccuracyFigures(a.Clips, a.Objects, Math.Round(a.ColourAccuracy, 4), Math.Round(a.ShapeAccuracy, 4),
            Math.Round(a.MotionAccuracy, 4), Math.Round(a.AllAccuracy, 4));
    }
}

/// <summary>
/// Prompt following over a set of clips, counted per expected object: over all of them, over the objects whose
/// colour × shape × motion is a held-out composition (never in training data), and over the seen ones. A clip
/// counts towards a side when it has at least one object of that side, so a held-out clip whose second object is
/// a seen composition adds to both.
/// </summary>
public sealed record PromptFollowingAccuracy(ProbeAccuracy All, ProbeAccuracy HeldOut, ProbeAccuracy Seen)
{
    public static PromptFollowingAccuracy Of(IEnumerable<ProbeResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var all = ProbeAccuracy.Empty;
        var heldOut = ProbeAccuracy.Empty;
        var seen = ProbeAccuracy.Empty;
        foreach (var r in results)
        {
            ArgumentNullException.ThrowIfNull(r, nameof(results));
            all = all.Add(r);
            heldOut = AddObjects(heldOut, r, IsHeldOut);
            seen = AddObjects(seen, r, o => !IsHeldOut(o));
        }
        return new PromptFollowingAccuracy(all, heldOut, seen);
    }

    /// <summary>Stills have no composition: they are seen content.</summary>
    public static bool IsHeldOut(ObjectScore o) => o.Expected.Composition is { } k && Data.World.HeldOut.IsHeldOut(k);

    private static ProbeAccuracy AddObjects(ProbeAccuracy sum, ProbeResult r, Func<ObjectScore, bool> side)
    {
        var objects = r.Objects.Where(side).ToArray();
        return objects.Length == 0 ? sum : sum.Add(r with { Objects = objects });
    }
}

/// <summary>One image-to-video sample: the generated first frame's PSNR against the given image, and the probe's score of the video.</summary>
public sealed record ImageToVideoResult(double FirstFramePsnr, ProbeResult Probe)
{
    /// <summary>
    /// PSNR of frame 0 of <paramref name="generated"/> against the one-frame <paramref name="image"/>, capped at
    /// <see cref="PsnrCap"/> dB so that an exact copy keeps means finite.
    /// </summary>
    public static double FirstFrame(VideoFrames image, VideoFrames generated)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(generated);
        if (generated.FrameCount == 0) throw new ArgumentException("the generated video has no frames", nameof(generated));
        if ((image.Width, image.Height) != (generated.Width, generated.Height))
            throw new ArgumentException($"the image is {image.Width}x{image.Height}, the video {generated.Width}x{generated.Height}", nameof(generated));
        return Math.Min(PsnrCap, Psnr.FromMse(Psnr.MeanSquaredError(image.ReadFrame(0), generated.ReadFrame(0))));
    }

    public const double PsnrCap = 100;
}

/// <summary>Image to video over a set of samples: mean and worst first-frame PSNR (dB), and prompt following of the videos.</summary>
public sealed record ImageToVideoScore(int Clips, double FirstFramePsnr, double WorstFirstFramePsnr, ProbeAccuracy Accuracy)
{
    public static ImageToVideoScore Of(IEnumerable<ImageToVideoResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var list = results.ToArray();
        if (list.Length == 0) return new ImageToVideoScore(0, 0, 0, ProbeAccuracy.Empty);
        return new ImageToVideoScore(list.Length, list.Average(r => r.FirstFramePsnr), list.Min(r => r.FirstFramePsnr), ProbeAccuracy.Of(list.Select(r => r.Probe)));
    }
}
