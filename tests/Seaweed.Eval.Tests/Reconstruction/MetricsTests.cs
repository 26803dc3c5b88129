using Seaweed.Data;
using Seaweed.Eval.Reconstruction;

namespace Seaweed.Eval.Tests.Reconstruction;

public sealed class MetricsTests
{
    private static VideoFrames Filled(int width, int height, int frames, Func<int, int, int, int, byte> value)
    {
        var v = new VideoFrames(width, height, frames, 8);
        for (int t = 0; t < frames; t++)
        {
            var f = v.Frame(t);
            for (int y = 0; y < height; y++)
                for (int x = 0; x < width; x++)
                    for (int c = 0; c < 3; c++) f[(y * width + x) * 3 + c] = value(t, y, x, c);
        }
        return v;
    }

    private static VideoFrames Pattern(int width = 32, int height = 24, int frames = 2) =>
        Filled(width, height, frames, (t, y, x, c) => (byte)(60 + (x * 7 + y * 3 + t * 11 + c * 40) % 120));

    [Fact]
    public void Identical_clips_have_infinite_psnr_and_ssim_one()
    {
        var a = Pattern();
        var b = Pattern();
        Assert.Equal(double.PositiveInfinity, Psnr.Of(a, b));
        Assert.Equal(1.0, Ssim.Of(a, b), 12);
    }

    [Fact]
    public void Plus_minus_ten_noise_gives_an_mse_of_100_and_its_psnr()
    {
        var grey = Filled(32, 32, 3, (_, _, _, _) => 128);
        var noisy = Filled(32, 32, 3, (t, y, x, c) => (byte)((t + y + x + c) % 2 == 0 ? 138 : 118));
        Assert.Equal(100, Psnr.MeanSquaredError(grey.Data, noisy.Data), 12);
        Assert.Equal(10 * Math.Log10(255.0 * 255 / 100), Psnr.Of(grey, noisy), 10);
        Assert.Equal(28.1308, Psnr.Of(grey, noisy), 4);
    }

    [Fact]
    public void Ssim_of_two_flat_frames_is_the_luminance_term_alone()
    {
        // No variance in either frame: the structure term is C2 / C2 = 1, leaving (2μxμy + C1) / (μx² + μy² + C1).
        var a = Filled(16, 16, 1, (_, _, _, _) => 100);
        var b = Filled(16, 16, 1, (_, _, _, _) => 110);
        double c1 = Math.Pow(0.01 * 255, 2);
        Assert.Equal((2 * 100.0 * 110 + c1) / (100.0 * 100 + 110.0 * 110 + c1), Ssim.Of(a, b), 10);
    }

    [Fact]
    public void Ssim_is_symmetric_and_falls_as_noise_grows()
    {
        var clean = Pattern();
        VideoFrames Noisy(int amplitude) => Filled(32, 24, 2, (t, y, x, c) =>
            (byte)Math.Clamp(clean.ReadFrame(t)[(y * 32 + x) * 3 + c] + ((x * 13 + y * 7 + c) % 5 - 2) * amplitude, 0, 255));
        double little = Ssim.Of(clean, Noisy(2)), more = Ssim.Of(clean, Noisy(8));
        Assert.Equal(little, Ssim.Of(Noisy(2), clean), 12);
        Assert.True(1 > little && little > more && more > 0, $"SSIM 1 > {little} > {more} > 0");
    }

    [Fact]
    public void The_gaussian_window_is_normalised_and_centred()
    {
        var g = Ssim.Gaussian();
        Assert.Equal(11, g.Length);
        Assert.Equal(1.0, g.Sum(), 12);
        Assert.Equal(g.Max(), g[5]);
        Assert.Equal(g[0], g[10], 15);
    }

    [Fact]
    public void Clips_of_different_sizes_or_smaller_than_the_window_are_refused()
    {
        Assert.Equal("actual", Assert.Throws<ArgumentException>(() => Psnr.Of(Pattern(), Pattern(width: 30))).ParamName);
        var small = Filled(10, 12, 1, (_, _, _, _) => 0);
        Assert.Equal("expected", Assert.Throws<ArgumentException>(() => Ssim.Of(small, small)).ParamName);
    }
}
