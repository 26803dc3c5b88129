using Seaweed.Data;

namespace Seaweed.Eval.Reconstruction;

/// <summary>Peak signal-to-noise ratio of 8-bit frames: 10·log10(255² / MSE) over every byte of the clip.</summary>
public static class Psnr
{
    public const double Peak = 255;

    /// <summary>PSNR in dB of <paramref name="actual"/> against <paramref name="expected"/>; +∞ for identical clips.</summary>
    public static double Of(VideoFrames expected, VideoFrames actual)
    {
        Frames.CheckSameSize(expected, actual);
        return FromMse(MeanSquaredError(expected.Data, actual.Data));
    }

    public static double FromMse(double mse)
    {
        if (!(mse >= 0)) throw new ArgumentOutOfRangeException(nameof(mse), mse, "a mean squared error is not negative");
        return mse == 0 ? double.PositiveInfinity : 10 * Math.Log10(Peak * Peak / mse);
    }

    public static double MeanSquaredError(ReadOnlySpan<byte> expected, ReadOnlySpan<byte> actual)
    {
        if (expected.Length != actual.Length) throw new ArgumentException($"{expected.Length} against {actual.Length} bytes", nameof(actual));
        if (expected.Length == 0) throw new ArgumentException("no bytes to compare", nameof(expected));
        long sum = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            int d = expected[i] - actual[i];
            sum += d * d;
        }
        return (double)sum / expected.Length;
    }
}

internal static class Frames
{
    public static void CheckSameSize(VideoFrames expected, VideoFrames actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        if ((expected.Width, expected.Height, expected.FrameCount) != (actual.Width, actual.Height, actual.FrameCount))
            throw new ArgumentException($"the clips differ in size: {expected.FrameCount}×{expected.Width}x{expected.Height} against {actual.FrameCount}×{actual.Width}x{actual.Height}", nameof(actual));
    }
}
