using Seaweed.Model;

namespace Seaweed.Training;

/// <summary>
/// Sample sizes on the model's token grid. A stage names a target area r² (Seaweed Table 2 names stages by area);
/// a clip keeps its aspect ratio and is rounded to whole DiT tokens. Frame counts are 1 + dt·k (the causal VAE
/// encodes the first frame alone), so an image is a one-frame video.
/// </summary>
public static class StageSizes
{
    /// <summary>Pixels per DiT token along (height, width): the VAE's spatial factor times the patch.</summary>
    public static (int Height, int Width) GridUnit(SeaweedConfig model) =>
        (model.Vae.SpatialDownsample * model.Dit.Patch[1], model.Vae.SpatialDownsample * model.Dit.Patch[2]);

    /// <summary>The size of area ≈ r² with the aspect ratio of <paramref name="width"/> × <paramref name="height"/>, on the grid.</summary>
    public static (int Width, int Height) Fit(SeaweedConfig model, int width, int height, int resolution)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(resolution);
        var unit = GridUnit(model);
        double aspect = (double)width / height;
        return (Round(resolution * Math.Sqrt(aspect), unit.Width), Round(resolution / Math.Sqrt(aspect), unit.Height));
    }

    private static int Round(double pixels, int unit) => Math.Max(1, (int)Math.Round(pixels / unit, MidpointRounding.AwayFromZero)) * unit;

    /// <summary>Whether the VAE and the DiT patch accept <paramref name="frames"/> frames.</summary>
    public static bool IsFrameCount(SeaweedConfig model, int frames)
    {
        int dt = model.Vae.TemporalDownsample;
        return frames >= 1 && (frames - 1) % dt == 0 && (1 + (frames - 1) / dt) % model.Dit.Patch[0] == 0;
    }

    /// <summary>The most frames, at most <paramref name="wanted"/> and <paramref name="available"/>, that the model accepts; 1 at worst (an image).</summary>
    public static int UsableFrames(SeaweedConfig model, int wanted, int available)
    {
        for (int f = Math.Min(wanted, available); f > 1; f--)
            if (IsFrameCount(model, f)) return f;
        return 1;
    }

    /// <summary>Video tokens of a sample: the latent grid divided by the patch.</summary>
    public static long VideoTokens(SeaweedConfig model, int frames, int height, int width)
    {
        var (f, h, w) = model.LatentGrid(new VideoSize(frames, height, width));
        var p = model.Dit.Patch;
        return (long)(f / p[0]) * (h / p[1]) * (w / p[2]);
    }
}
