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
        var qk = QkNormRopeFunction.apply(backend, qkv.contiguous(), wQ.contiguous(), wK.contiguous(), cos.contiguous(), sin.contiguous(), eps, heads);
        return (qk[0], qk[1]);
    }

    /// <summary>AdaSingle modulation: RMSNorm(x) · scale + shift, x (B, L, d), scale and shift (B, d).</summary>
    public static Tensor Modulate(IFusedBackend backend, Tensor x, Tensor scale, Tensor shift, double eps)
    {
        Check(backend, (x, "x"), (scale, "scale"), (shift, "shift"));
        return ModulateFunction.apply(backend, x.contiguous(), scale.contiguous(), shift.contiguous(), eps);
    }

    /// <summary>x + gate · f: x and f (B, L, d), gate (B, d).</summary>
    public static Tensor GatedResidual(IFusedBackend backend, Tensor x, Tensor gate, Tensor f)
    {
        Check(backend, (x, "x"), (gate, "gate"), (f, "f"));
        if (!f.shape.SequenceEqual(x.shape))
            throw new ArgumentException($"f: expected x's shape [{string.Join(",", x.shape)}], got [{string.Join(",", f.shape)}]", nameof(f));
        return GatedResidualFunction.apply(backend, x.contiguous(), gate.contiguous(), f.contiguous());
    }

    /// <summary>SwiGLU gating silu(a) · b of gateUp (…, 2H) = [a, b].</summary>
    public static Tensor SwiGlu(IFusedBackend backend, Tensor gateUp)
    {
        Check(backend, (gateUp, "gateUp"));
        if (gateUp.dim() == 0 || gateUp.shape[^1] % 2 != 0)
            throw new ArgumentException($"gateUp: last dimension must be even ([a, b]), got [{string.Join(",", gateUp.shape)}]", nameof(gateUp));
        return SwiGluFunction.apply(backend, gateUp.contiguous());
    }

    private static void Check(IFusedBackend backend, params (Tensor T, string Name)[] inputs)
    {
        foreach (var (t, name) in inputs)
        {
            TensorMemory.RequireFloat32(t, name);
            if (!backend.Supports(t.device)) throw new ArgumentException($"{name}: the {backend.Name} backend cannot work on {t.device} tensors", name);
        }
    }
}
