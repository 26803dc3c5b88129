using Seaweed.Kernels;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// The memory-bound operators around a DiT block's matmuls (Seaweed §7.4): composed from TorchSharp ops, or fused
/// by <see cref="Seaweed.Kernels"/> into one pass each, forward and backward.
/// </summary>
public abstract class DitOps
{
    public static DitOps Reference => Composed.Instance;

    /// <summary>The operators <paramref name="mode"/> selects for tensors like <paramref name="x"/>.</summary>
    public static DitOps For(KernelMode mode, Tensor x)
    {
        bool fusable = SimdBackend.Instance.Supports(x.device) && x.dtype == ScalarType.Float32;
        return mode switch
        {
            KernelMode.Reference => Composed.Instance,
            KernelMode.Auto => fusable ? FusedCpu.Auto : Composed.Instance,
            _ => fusable ? FusedCpu.All
                : throw new ConfigException("dit.kernels", $"'fused' runs on float32 CPU tensors, got {x.dtype} on {x.device}; use 'auto' or 'reference'"),
        };
    }

    /// <summary>AdaSingle: RMSNorm(x) · scale + shift with a norm that has no gain; scale and shift (B, d).</summary>
    public abstract Tensor Modulate(Tensor x, RMSNorm norm, Tensor scale, Tensor shift);

    /// <summary>qkv (B, L, 3·d) → q, k (B, heads, L, hd): QK-norm, then MM-RoPE with cos/sin (L, hd/2).</summary>
    public abstract (Tensor Q, Tensor K) QkNormRope(Tensor qkv, RMSNorm qNorm, RMSNorm kNorm, Tensor cos, Tensor sin, int heads);

    /// <summary>x + gate · f with gate (B, d).</summary>
    public abstract Tensor GatedResidual(Tensor x, Tensor gate, Tensor f);

    /// <summary>silu(a) · b of gateUp = [a, b].</summary>
    public abstract Tensor SwiGlu(Tensor gateUp);

    private sealed class Composed : DitOps
    {
        public static readonly Composed Instance = new();

        public override Tensor Modulate(Tensor x, RMSNorm norm, Tensor scale, Tensor shift) =>
            MMDiTBlock.Modulate(norm.call(x), scale, shift);

        public override (Tensor Q, Tensor K) QkNormRope(Tensor qkv, RMSNorm qNorm, RMSNorm kNorm, Tensor cos, Tensor sin, int heads)
        {
            var split = MMDiTBlock.SplitHeads(qkv, heads);
            return (MMRope.Apply(qNorm.call(split[0]), cos, sin), MMRope.Apply(kNorm.call(split[1]), cos, sin));
        }

        public override Tensor GatedResidual(Tensor x, Tensor gate, Tensor f) => x + gate.unsqueeze(1) * f;

        public override Tensor SwiGlu(Tensor gateUp)
        {
            var gu = gateUp.chunk(2, -1);
            return nn.functional.silu(gu[0]) * gu[1];
        }
    }

    /// <summary>
    /// Fused on the CPU where <paramref name="fuses"/> says so for the operator and direction (a call autograd
    /// records is a training call); an empty stream (a sequence shard holding only text or only video tokens) takes
    /// the composed path, since the kernels launch over at least one row.
    /// </summary>
    private sealed class FusedCpu(Func<FusedOp, bool, bool> fuses) : DitOps
    {
        public static readonly FusedCpu All = new((_, _) => true);
        public static readonly FusedCpu Auto = new(AutoKernels.Fuses);
        private static IFusedBackend Backend => SimdBackend.Instance;
        private static DitOps Plain => Composed.Instance;

        private bool Fuse(FusedOp op, params Tensor[] inputs) =>
            inputs[0].numel() > 0 && fuses(op, is_grad_enabled() && inputs.Any(t => t.requires_grad));

        public override Tensor Modulate(Tensor x, RMSNorm norm, Tensor scale, Tensor shift)
        {
            if (!Fuse(FusedOp.Modulate, x, scale, shift)) return Plain.Modulate(x, norm, scale, shift);
            return norm.Weight is null
                ? Fused.Modulate(Backend, x, scale, shift, norm.Eps)
                : throw new ArgumentException("the fused modulation takes a norm without gain, as AdaSingle's", nameof(norm));
        }

        public override (Tensor Q, Tensor K) QkNormRope(Tensor qkv, RMSNorm qNorm, RMSNorm kNorm, Tensor cos, Tensor sin, int heads)
        {
            if (!Fuse(FusedOp.QkNormRope, qkv)) return Plain.QkNormRope(qkv, qNorm, kNorm, cos, sin, heads);
            if (qNorm.Weight is null || kNorm.Weight is null || qNorm.Eps != kNorm.Eps)
                throw new ArgumentException("the fused QK-norm takes two gained norms with one eps", nameof(qNorm));
            return Fused.QkNormRope(Backend, qkv, qNorm.Weight, kNorm.Weight, cos, sin, heads, qNorm.Eps);
        }

        public override Tensor GatedResidual(Tensor x, Tensor gate, Tensor f) =>
            Fuse(FusedOp.GatedResidual, x, gate, f) ? Fused.GatedResidual(Backend, x, gate, f) : Plain.GatedResidual(x, gate, f);

        public override Tensor SwiGlu(Tensor gateUp) =>
            Fuse(FusedOp.SwiGlu, gateUp) ? Fused.SwiGlu(Backend, gateUp) : Plain.SwiGlu(gateUp);
    }
}
