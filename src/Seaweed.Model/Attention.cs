using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Seaweed.Model;

/// <summary>
/// 3-D window partition of a video token grid by window counts per axis (the paper's 1×2×2 and 4×1×1).
/// Extents that do not divide evenly give unequal windows (boundaries at ⌊i·n/count⌋).
/// </summary>
public sealed record WindowPartition(int[][] Windows)
{
    public static WindowPartition Create((int F, int H, int W) grid, int[] counts)
    {
        int[] extent = [grid.F, grid.H, grid.W];
        var bounds = new int[3][];
        for (int a = 0; a < 3; a++)
        {
            int n = Math.Clamp(counts[a], 1, extent[a]);
            bounds[a] = Enumerable.Range(0, n + 1).Select(i => i * extent[a] / n).ToArray();
        }
        var windows = new List<int[]>();
        for (int i = 0; i + 1 < bounds[0].Length; i++)
        for (int j = 0; j + 1 < bounds[1].Length; j++)
        for (int k = 0; k + 1 < bounds[2].Length; k++)
        {
            var tokens = new List<int>();
            for (int f = bounds[0][i]; f < bounds[0][i + 1]; f++)
            for (int h = bounds[1][j]; h < bounds[1][j + 1]; h++)
            for (int w = bounds[2][k]; w < bounds[2][k + 1]; w++)
                tokens.Add((f * grid.H + h) * grid.W + w);
            windows.Add(tokens.ToArray());
        }
        return new WindowPartition(windows.ToArray());
    }

    /// <summary>Window counts per axis for a layer: even layers 1×2×2, odd layers 4×1×1.</summary>
    public static int[] CountsForLayer(int layer) => layer % 2 == 0 ? [1, 2, 2] : [4, 1, 1];
}

/// <summary>
/// What a block's attention needs about the joint [text, video] sequence of one forward.
/// </summary>
/// <param name="TextMask">(B, L_text) true for real text tokens, over the whole text.</param>
/// <param name="RopeCos">(L_local, hd/2) MM-RoPE angles of this rank's tokens at their full-sequence positions; likewise <paramref name="RopeSin"/>.</param>
/// <param name="Lengths">L_local of every context-parallel member, in member order.</param>
/// <param name="Exchange">Moves q/k/v to head shards over the full sequence and the output back.</param>
/// <param name="Kernel">Computes each attention call; null for <see cref="AttentionKernel.Sdpa"/>.</param>
public sealed record JointSequence(Tensor TextMask, Tensor RopeCos, Tensor RopeSin, IReadOnlyList<long> Lengths, IAttentionExchange Exchange,
    IAttentionKernel? Kernel = null);

/// <summary>
/// One masked attention call: softmax(q·kᵀ/√hd)·v over q (…, heads, Lq, hd), k and v (…, heads, Lk, hd) with any
/// leading dimensions, and a boolean key mask (true = attend) broadcastable to (…, 1, 1, Lk). The seam where
/// activation checkpointing keeps attention's outputs so a recompute can skip it.
/// </summary>
public interface IAttentionKernel
{
    Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor keyMask);
}

public static class AttentionKernel
{
    /// <summary>libtorch's scaled_dot_product_attention: the default.</summary>
    public static IAttentionKernel Sdpa { get; } = new SdpaKernel();

    private sealed class SdpaKernel : IAttentionKernel
    {
        public Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor keyMask) => F.scaled_dot_product_attention(q, k, v, keyMask);
    }
}

/// <summary>Joint text–video attention: full, or video tokens attending within their window plus all text.</summary>
public static class JointAttention
{
    /// <param name="q">(B, heads, L_text + N, headDim), likewise k and v.</param>
    /// <param name="textMask">(B, L_text) true for real text tokens; padding is never attended.</param>
    /// <param name="windows">null for full attention.</param>
    /// <param name="kernel">null for <see cref="AttentionKernel.Sdpa"/>.</param>
    public static Tensor Compute(Tensor q, Tensor k, Tensor v, Tensor textMask, WindowPartition? windows, IAttentionKernel? kernel = null)
    {
        using var scope = NewDisposeScope();
        var attend = kernel ?? AttentionKernel.Sdpa;
        long batch = q.shape[0], heads = q.shape[1], length = q.shape[2], headDim = q.shape[3];
        long textLen = textMask.shape[1];
        var videoMask = ones(batch, length - textLen, dtype: @bool, device: q.device);
        var keyMask = cat([textMask, videoMask], 1).view(batch, 1, 1, length);
        if (windows is null)
        {
            FlopCounter.AddAttention(batch * heads, length, length, headDim);
            return attend.Attend(q, k, v, keyMask).MoveToOuterDisposeScope();
        }

        // Text queries see every token.
        var textOut = attend.Attend(q[.., .., ..(int)textLen], k, v, keyMask);
        FlopCounter.AddAttention(batch * heads, textLen, length, headDim);

        var qv = q[.., .., (int)textLen..];
        var kv = k[.., .., (int)textLen..];
        var vv = v[.., .., (int)textLen..];
        var kt = k[.., .., ..(int)textLen];
        var vt = v[.., .., ..(int)textLen];
        var videoOut = empty_like(qv);
        foreach (var group in windows.Windows.GroupBy(w => w.Length))
        {
            long size = group.Key, count = group.Count();
            var index = tensor(group.SelectMany(w => w).Select(i => (long)i).ToArray(), device: q.device);
            Tensor Gather(Tensor x) => x.index_select(2, index).view(batch, heads, count, size, headDim).transpose(1, 2);
            Tensor WithText(Tensor text, Tensor video) =>
                cat([text.unsqueeze(1).expand(batch, count, heads, textLen, headDim), Gather(video)], 3);
            var mask = cat([textMask, ones(batch, size, dtype: @bool, device: q.device)], 1).view(batch, 1, 1, 1, textLen + size);
            var o = attend.Attend(Gather(qv), WithText(kt, kv), WithText(vt, vv), mask);
            FlopCounter.AddAttention(batch * heads * count, size, textLen + size, headDim);
            videoOut.index_copy_(2, index, o.transpose(1, 2).reshape(batch, heads, count * size, headDim));
        }
        return cat([textOut, videoOut], 2).MoveToOuterDisposeScope();
    }
}
