using static TorchSharp.torch;

namespace Seaweed.Model.Tiling;

/// <summary>
/// <see cref="FrameGroupNorm"/> for one tile: each tile's count, mean and variance per (sample, group, frame) are
/// gathered from every tile and combined in float64 (Chan et al.'s pairwise formula, free of the cancellation of
/// E[x²] − E[x]²), so every tile normalises with the whole frame's statistics.
/// </summary>
internal static class TileNorm
{
    public static Tensor Forward(Tensor x, int groups, Tensor weight, Tensor bias, double eps, ITileExchange tiles)
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], c = x.shape[1], t = x.shape[2], h = x.shape[3], w = x.shape[4];
        long perGroup = c / groups;
        var (variance, mean) = var_mean(x.view(b, groups, perGroup, t, h, w), [2, 4, 5], unbiased: false); // (B, G, T)
        var local = stack([full_like(mean, perGroup * h * w), mean, variance], -1).to(ScalarType.Float64);

        var all = tiles.AllGather(local); // (tiles, B, G, T, 3)
        var (counts, means, variances) = (all[.., .., .., .., 0], all[.., .., .., .., 1], all[.., .., .., .., 2]);
        var total = counts.sum(dim: 0);
        var frameMean = (counts * means).sum(dim: 0) / total;
        var frameVariance = (counts * (variances + (means - frameMean).square())).sum(dim: 0) / total;

        // y = x·scale + shift per (sample, channel, frame), as group_norm applies it.
        var gamma = weight.to(ScalarType.Float64).view(1, c, 1);
        var scale = (frameVariance + eps).rsqrt().repeat_interleave(perGroup, 1) * gamma;
        var shift = bias.to(ScalarType.Float64).view(1, c, 1) - frameMean.repeat_interleave(perGroup, 1) * scale;
        return addcmul(shift.to(x.dtype).unsqueeze(-1).unsqueeze(-1), x, scale.to(x.dtype).unsqueeze(-1).unsqueeze(-1), 1).MoveToOuterDisposeScope();
    }
}
