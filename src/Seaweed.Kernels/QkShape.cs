using static TorchSharp.torch;

namespace Seaweed.Kernels;

/// <summary>Index arithmetic of the fused QK-norm + RoPE: qkv (B, L, 3·heads·hd) rows → q/k (B, heads, L, hd).</summary>
internal readonly record struct QkShape(long Batch, long Tokens, int Heads, int HeadDim)
{
    public long Width => (long)Heads * HeadDim;
    public int Pairs => HeadDim / 2;

    /// <summary>Offset of head <paramref name="h"/> of part (0 q, 1 k, 2 v) in qkv row <paramref name="row"/> = b·L + l.</summary>
    public long Source(long row, int part, int h) => row * 3 * Width + part * Width + (long)h * HeadDim;

    /// <summary>Offset of (b, h, l) in a (B, heads, L, hd) output, for row = b·L + l.</summary>
    public long Target(long row, int h) => ((row / Tokens * Heads + h) * Tokens + row % Tokens) * HeadDim;

    public static QkShape Of(Tensor qkv, Tensor q, Tensor cos, Tensor sin, Tensor wQ, Tensor wK, string qName)
    {
        static string S(Tensor t) => $"[{string.Join(",", t.shape)}]";
        if (q.dim() != 4) throw new ArgumentException($"{qName}: expected (B, heads, L, hd), got {S(q)}", qName);
        var s = new QkShape(q.shape[0], q.shape[2], (int)q.shape[1], (int)q.shape[3]);
        if (s.HeadDim % 2 != 0) throw new ArgumentException($"{qName}: head dimension {s.HeadDim} must be even for RoPE pairs", qName);
        if (!qkv.shape.SequenceEqual(new[] { s.Batch, s.Tokens, 3 * s.Width }))
            throw new ArgumentException($"qkv: expected ({s.Batch}, {s.Tokens}, {3 * s.Width}) for {qName} {S(q)}, got {S(qkv)}", nameof(qkv));
        foreach (var (t, name) in new[] { (cos, "cos"), (sin, "sin") })
            if (!t.shape.SequenceEqual(new[] { s.Tokens, (long)s.Pairs }))
                throw new ArgumentException($"{name}: expected ({s.Tokens}, {s.Pairs}), got {S(t)}", name);
        foreach (var (t, name) in new[] { (wQ, "wQ"), (wK, "wK") })
            if (!t.shape.SequenceEqual(new[] { (long)s.HeadDim }))
                throw new ArgumentException($"{name}: expected ({s.HeadDim}), got {S(t)}", name);
        return s;
    }
}
