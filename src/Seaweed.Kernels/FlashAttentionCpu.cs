using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>
/// libtorch's CPU flash attention, forward and backward as two calls: the forward's output and log-sum-exp are all
/// the backward needs, so a caller that keeps them can differentiate attention without running its forward again.
/// TorchSharp 0.107 binds neither op, so they are reached through a TorchScript compilation unit. The CPU path of
/// <c>scaled_dot_product_attention</c> runs this same kernel on 4-D inputs, so the results match it exactly there.
/// </summary>
public static class FlashAttentionCpu
{
    private const string Script = """
        def forward(q: Tensor, k: Tensor, v: Tensor, mask: Tensor):
            r = torch._scaled_dot_product_flash_attention_for_cpu(q, k, v, 0.0, False, attn_mask=mask)
            return r[0], r[1]

        def backward(g: Tensor, q: Tensor, k: Tensor, v: Tensor, o: Tensor, lse: Tensor, mask: Tensor):
            r = torch._scaled_dot_product_flash_attention_for_cpu_backward(g, q, k, v, o, lse, 0.0, False, attn_mask=mask)
            return r[0], r[1], r[2]
        """ + "\n"; // TorchScript wants the last line ended

    private static readonly Lazy<jit.CompilationUnit> Unit = new(() => jit.compile(Script));

    /// <summary>Float32 CPU tensors: what the kernel takes.</summary>
    public static bool Supports(Tensor q) => q.device_type == TorchSharp.DeviceType.CPU && q.dtype == ScalarType.Float32;

    /// <summary>
    /// softmax(q·kᵀ/√hd masked)·v over q (…, heads, Lq, hd), k and v (…, heads, Lk, hd), any leading dimensions;
    /// <paramref name="keyMask"/> is boolean (true = attend), broadcastable to (…, 1, 1, Lk) and cannot mask out a
    /// whole row. Returns the output and the log-sum-exp (…·, heads, Lq) that <see cref="Backward"/> takes.
    /// </summary>
    public static (Tensor Output, Tensor LogSumExp) Forward(Tensor q, Tensor k, Tensor v, Tensor keyMask)
    {
        using var scope = NewDisposeScope();
        var (o, lse) = ((Tensor, Tensor))Unit.Value.invoke("forward", Flat(q), Flat(k), Flat(v), Additive(keyMask, q));
        return (o.reshape(q.shape).MoveToOuterDisposeScope(), lse.MoveToOuterDisposeScope());
    }

    /// <summary>Gradients of q, k and v from the output gradient and what <see cref="Forward"/> returned.</summary>
    public static (Tensor GradQ, Tensor GradK, Tensor GradV) Backward(
        Tensor gradOutput, Tensor q, Tensor k, Tensor v, Tensor keyMask, Tensor output, Tensor logSumExp)
    {
        using var scope = NewDisposeScope();
        var (gq, gk, gv) = ((Tensor, Tensor, Tensor))Unit.Value.invoke("backward",
            Flat(gradOutput.contiguous()), Flat(q), Flat(k), Flat(v), Flat(output), logSumExp, Additive(keyMask, q));
        return (gq.reshape(q.shape).MoveToOuterDisposeScope(), gk.reshape(k.shape).MoveToOuterDisposeScope(), gv.reshape(v.shape).MoveToOuterDisposeScope());
    }

    /// <summary>(…, heads, L, hd) → (N, heads, L, hd): the kernel takes exactly one batch dimension.</summary>
    private static Tensor Flat(Tensor x) => x.reshape(-1, x.shape[^3], x.shape[^2], x.shape[^1]);

    /// <summary>The boolean mask as the kernel takes it: 0 or −∞, q's dtype, (N, 1, 1, Lk).</summary>
    private static Tensor Additive(Tensor keyMask, Tensor q)
    {
        long[] shape = [.. q.shape[..^3], 1, 1, keyMask.shape[^1]];
        var mask = keyMask.expand(shape).reshape(-1, 1, 1, keyMask.shape[^1]);
        return zeros(mask.shape, dtype: q.dtype, device: q.device).masked_fill_(mask.logical_not(), double.NegativeInfinity);
    }
}
