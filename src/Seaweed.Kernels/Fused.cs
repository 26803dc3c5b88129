using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>
/// The fused operators as differentiable tensor functions over one <see cref="IFusedBackend"/>. Non-contiguous
/// inputs are accepted: they are made contiguous first (a copy only for those), since the kernels address rows
/// directly. Every input must be float32 on a device the backend supports.
/// </summary>
public static class Fused
{
    /// <summary>
    /// RMS QK-norm + MM-RoPE on q and k in one pass, straight from the QKV projection: qkv (B, L, 3·heads·hd) →
    /// q, k (B, heads, L, hd), each RMSNorm(·) · w then rotated by cos/sin (L, hd/2).
    /// </summary>
    public static (Tensor Q, Tensor K) QkNormRope(IFusedBackend backend, Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, int heads, double eps)
    {
        Check(backend, (qkv, "qkv"), (wQ, "wQ"), (wK, "wK"), (cos, "cos"), (sin, "sin"));
        if (qkv.dim() != 3 || heads <= 0 || qkv.shape[2] != 3L * heads * wQ.shape[0])
            throw new ArgumentException($"qkv: expected (B, L, 3·{heads}·{wQ.shape[0]}), got [{string.Join(",", qkv.shape)}]", nameof(qkv));
        var (cQkv, cWQ, cWK, cCos, cSin) = (qkv.contiguous(), wQ.contiguous(), wK.contiguous(), cos.contiguous(), sin.contiguous());
        var qk = Records(qkv, wQ, wK)
            ? QkNormRopeFunction.apply(backend, cQkv, cWQ, cWK, cCos, cSin, eps, heads)
            : QkNormRopeFunction.Forward(backend, cQkv, cWQ, cWK, cCos, cSin, eps, heads);
        return (qk[0], qk[1]);
    }

    /// <summary>AdaSingle modulation: RMSNorm(x) · scale + shift, x (B, L, d), scale and shift (B, d).</summary>
    public static Tensor Modulate(IFusedBackend backend, Tensor x, Tensor scale, Tensor shift, double eps)
    {
        Check(backend, (x, "x"), (scale, "scale"), (shift, "shift"));
        var (cX, cScale, cShift) = (x.contiguous(), scale.contiguous(), shift.contiguous());
        return Records(x, scale, shift)
            ? ModulateFunction.apply(backend, cX, cScale, cShift, eps)
            : ModulateFunction.Forward(backend, cX, cScale, cShift, eps);
    }

    /// <summary>x + gate · f: x and f (B, L, d), gate (B, d).</summary>
    public static Tensor GatedResidual(IFusedBackend backend, Tensor x, Tensor gate, Tensor f)
    {
        Check(backend, (x, "x"), (gate, "gate"), (f, "f"));
        if (!f.shape.SequenceEqual(x.shape))
            throw new ArgumentException($"f: expected x's shape [{string.Join(",", x.shape)}], got [{string.Join(",", f.shape)}]", nameof(f));
        var (cX, cGate, cF) = (x.contiguous(), gate.contiguous(), f.contiguous());
        return Records(x, gate, f)
            ? GatedResidualFunction.apply(backend, cX, cGate, cF)
            : GatedResidualFunction.Forward(backend, cX, cGate, cF);
    }

    /// <summary>SwiGLU gating silu(a) · b of gateUp (…, 2H) = [a, b].</summary>
    public static Tensor SwiGlu(IFusedBackend backend, Tensor gateUp)
    {
        Check(backend, (gateUp, "gateUp"));
        if (gateUp.dim() == 0 || gateUp.shape[^1] % 2 != 0)
            throw new ArgumentException($"gateUp: last dimension must be even ([a, b]), got [{string.Join(",", gateUp.shape)}]", nameof(gateUp));
        var c = gateUp.contiguous();
        return Records(gateUp) ? SwiGluFunction.apply(backend, c) : SwiGluFunction.Forward(backend, c);
    }

    /// <summary>Whether autograd records this call: only then is the op wrapped in its autograd function, whose node costs microseconds.</summary>
    private static bool Records(params Tensor[] inputs) => is_grad_enabled() && inputs.Any(t => t.requires_grad);

    private static void Check(IFusedBackend backend, params (Tensor T, string Name)[] inputs)
    {
        foreach (var (t, name) in inputs)
        {
            TensorMemory.RequireFloat32(t, name);
            if (!backend.Supports(t.device)) throw new ArgumentException($"{name}: the {backend.Name} backend cannot work on {t.device} tensors", name);
        }
    }
}
