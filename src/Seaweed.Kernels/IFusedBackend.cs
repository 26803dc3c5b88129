using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>
/// One implementation of the fused operators. Every tensor is float32 and contiguous on the backend's device;
/// outputs are allocated by the caller and fully overwritten (reductions included), so no pass zeroes them first.
/// Shapes: B batch, L tokens, d = heads·hd model width, H SwiGLU hidden.
/// </summary>
public interface IFusedBackend
{
    string Name { get; }

    /// <summary>Whether tensors on <paramref name="device"/> can be bound without a copy.</summary>
    bool Supports(Device device);

    /// <summary>
    /// q, k (B, heads, L, hd) = MM-RoPE(RMSNorm(qkv's q and k heads) · w); qkv (B, L, 3·d) is the fused projection
    /// output in (q, k, v) × heads × hd order, wQ and wK (hd), cos and sin (L, hd/2).
    /// </summary>
    void QkNormRopeForward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps, Tensor q, Tensor k);

    /// <summary>Gradients of <see cref="QkNormRopeForward"/>: gQkv (B, L, 3·d) with zeros in the v slots, gWQ and gWK (hd).</summary>
    void QkNormRopeBackward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps,
        Tensor gQ, Tensor gK, Tensor gQkv, Tensor gWQ, Tensor gWK);

    /// <summary>AdaSingle: y (B, L, d) = RMSNorm(x) · scale + shift; scale and shift (B, d) per sample.</summary>
    void ModulateForward(Tensor x, Tensor scale, Tensor shift, double eps, Tensor y);

    void ModulateBackward(Tensor x, Tensor scale, double eps, Tensor gY, Tensor gX, Tensor gScale, Tensor gShift);

    /// <summary>y (B, L, d) = x + gate · f, gate (B, d) per sample.</summary>
    void GatedResidualForward(Tensor x, Tensor gate, Tensor f, Tensor y);

    /// <summary>The residual's gradient is gY itself; this gives gF = gY · gate and gGate = Σ_L gY · f.</summary>
    void GatedResidualBackward(Tensor gate, Tensor f, Tensor gY, Tensor gF, Tensor gGate);

    /// <summary>y (…, H) = silu(a) · b with gateUp (…, 2H) = [a, b] along the last dimension.</summary>
    void SwiGluForward(Tensor gateUp, Tensor y);

    void SwiGluBackward(Tensor gateUp, Tensor gY, Tensor gGateUp);
}
