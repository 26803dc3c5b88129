using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// MM-RoPE: 3-axis rotary position embedding over the joint [text, video] sequence.
/// Text token i sits at (i, i, i); video token (f, h, w) at (L_text + f, h, w).
/// The head dimension is split into three equal even parts (t, h, w); leftover pairs are not rotated.
/// </summary>
public static class MMRope
{
    /// <summary>(L_text + F·H·W, 3) integer positions; video tokens in (f, h, w) row-major order.</summary>
    public static Tensor Positions(int textTokens, int frames, int height, int width, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var text = arange(textTokens, dtype: int64, device: device).unsqueeze(1).expand(textTokens, 3);
        var grid = meshgrid([
            arange(frames, dtype: int64, device: device) + textTokens,
            arange(height, dtype: int64, device: device),
            arange(width, dtype: int64, device: device)], indexing: "ij");
        var video = stack(grid, -1).reshape(-1, 3);
        return cat([text, video], 0).MoveToOuterDisposeScope();
    }

    public static int AxisDim(int headDim) => headDim / 3 & ~1;

    /// <summary>cos and sin of the rotation angles, each (L, headDim/2), for positions (L, 3).</summary>
    public static (Tensor Cos, Tensor Sin) Angles(Tensor positions, int headDim, double theta)
    {
        using var scope = NewDisposeScope();
        int axisPairs = AxisDim(headDim) / 2;
        var inv = pow(theta, -arange(axisPairs, dtype: float64, device: positions.device) / axisPairs); // θ^(-2i/axisDim)
        var pos = positions.to(float64);
        var parts = new List<Tensor>();
        for (int axis = 0; axis < 3; axis++) parts.Add(pos[.., axis].unsqueeze(1) * inv.unsqueeze(0));
        int rest = headDim / 2 - 3 * axisPairs;
        if (rest > 0) parts.Add(zeros(positions.shape[0], rest, dtype: float64, device: positions.device));
        var angles = cat(parts, 1);
        var c = cos(angles).to(float32);
        var s = sin(angles).to(float32);
        return (c.MoveToOuterDisposeScope(), s.MoveToOuterDisposeScope());
    }

    /// <summary>Rotates consecutive pairs of the last dimension of x (..., L, headDim).</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sin)
    {
        using var scope = NewDisposeScope();
        var pairs = x.unflatten(x.dim() - 1, [x.shape[^1] / 2, 2]);
        var x1 = pairs.select(-1, 0);
        var x2 = pairs.select(-1, 1);
        var c = cos.to(x.dtype);
        var s = sin.to(x.dtype);
        var rotated = stack([x1 * c - x2 * s, x1 * s + x2 * c], -1).flatten(-2);
        return rotated.MoveToOuterDisposeScope();
    }
}
