using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Training.Vae;

/// <summary>
/// Differentiable SSIM of frames (N, 3, H, W) in [−1, 1] (data range L = 2), with the reference constants: an
/// 11×11 Gaussian window of σ = 1.5 applied separably per channel over the "valid" positions, K1 = 0.01,
/// K2 = 0.03. The mean over positions, channels and frames; 1 for identical frames.
/// </summary>
public static class StructuralSimilarity
{
    public const int Window = 11;
    private const double Sigma = 1.5;
    private const double C1 = 0.02 * 0.02;
    private const double C2 = 0.06 * 0.06;

    public static Tensor Mean(Tensor x, Tensor y)
    {
        if (x.dim() != 4 || !x.shape.SequenceEqual(y.shape))
            throw new ArgumentException($"expected two (N, C, H, W) tensors of one shape, got [{string.Join(",", x.shape)}] and [{string.Join(",", y.shape)}]", nameof(y));
        if (x.shape[2] < Window || x.shape[3] < Window)
            throw new ArgumentException($"{x.shape[3]}x{x.shape[2]} frames are smaller than the {Window}×{Window} window", nameof(x));
        using var scope = NewDisposeScope();
        long channels = x.shape[1];
        var taps = arange(Window, dtype: x.dtype, device: x.device) - Window / 2;
        var g = exp(-taps.square() / (2 * Sigma * Sigma));
        g /= g.sum();
        var rows = g.view(1, 1, 1, Window).expand(channels, 1, 1, Window);
        var columns = g.view(1, 1, Window, 1).expand(channels, 1, Window, 1);
        Tensor Blur(Tensor t) => F.conv2d(F.conv2d(t, rows, groups: channels), columns, groups: channels);
        Tensor mx = Blur(x), my = Blur(y);
        var vx = Blur(x * x) - mx * mx;
        var vy = Blur(y * y) - my * my;
        var cov = Blur(x * y) - mx * my;
        var map = (2 * mx * my + C1) * (2 * cov + C2) / ((mx * mx + my * my + C1) * (vx + vy + C2));
        return map.mean().MoveToOuterDisposeScope();
    }
}
