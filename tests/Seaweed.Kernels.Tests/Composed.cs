using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

/// <summary>The operators as the model composes them from TorchSharp ops: what the fused kernels must reproduce.</summary>
internal static class Composed
{
    public static Tensor RmsNorm(Tensor x, double eps) => x * rsqrt(x.pow(2).mean([-1], keepdim: true) + eps);

    public static (Tensor Q, Tensor K) QkNormRope(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, int heads, double eps)
    {
        long b = qkv.shape[0], l = qkv.shape[1], hd = wQ.shape[0];
        var split = qkv.view(b, l, 3, heads, hd).permute(2, 0, 3, 1, 4);
        return (MMRope.Apply(RmsNorm(split[0], eps) * wQ, cos, sin), MMRope.Apply(RmsNorm(split[1], eps) * wK, cos, sin));
    }

    public static Tensor Modulate(Tensor x, Tensor scale, Tensor shift, double eps) =>
        RmsNorm(x, eps) * scale.unsqueeze(1) + shift.unsqueeze(1);

    public static Tensor GatedResidual(Tensor x, Tensor gate, Tensor f) => x + gate.unsqueeze(1) * f;

    public static Tensor SwiGlu(Tensor gateUp)
    {
        var gu = gateUp.chunk(2, -1);
        return nn.functional.silu(gu[0]) * gu[1];
    }
}
