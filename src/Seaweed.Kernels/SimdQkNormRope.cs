using static TorchSharp.torch;

namespace Seaweed.Kernels;

public sealed unsafe partial class SimdBackend
{
    public void QkNormRopeForward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps, Tensor q, Tensor k)
    {
        var s = QkShape.Of(qkv, q, cos, sin, wQ, wK, "q");
        nint pqkv = (nint)TensorMemory.Floats(qkv, "qkv"), pc = (nint)TensorMemory.Floats(cos, "cos"), ps = (nint)TensorMemory.Floats(sin, "sin");
        nint[] w = [(nint)TensorMemory.Floats(wQ, "wQ"), (nint)TensorMemory.Floats(wK, "wK")];
        nint[] outputs = [(nint)TensorMemory.Floats(q, "q"), (nint)TensorMemory.Floats(k, "k")];
        float e = (float)eps;
        var (cosPairs, sinPairs) = PairTables((float*)pc, (float*)ps, s);
        fixed (float* pcp = cosPairs, psp = sinPairs)
        {
            nint cp = (nint)pcp, sp = (nint)psp;
            Rows.For(s.Batch * s.Tokens, 2 * s.Width, (r0, r1) =>
            {
                for (long r = r0; r < r1; r++)
                {
                    long l = r % s.Tokens;
                    float* c = (float*)cp + l * s.HeadDim, sn = (float*)sp + l * s.HeadDim;
                    for (int part = 0; part < 2; part++)
                    for (int h = 0; h < s.Heads; h++)
                    {
                        float* x = (float*)pqkv + s.Source(r, part, h);
                        float inv = SimdRows.InverseRms(x, s.HeadDim, e);
                        SimdRows.NormRotate(x, inv, (float*)w[part], c, sn, (float*)outputs[part] + s.Target(r, h), s.HeadDim);
                    }
                }
            });
        }
    }

    /// <summary>cos and sin (L, hd/2) spread to (L, hd) for <see cref="SimdRows.NormRotate"/>: (c, c) and (−s, s) per pair.</summary>
    private static (float[] CosPairs, float[] SinPairs) PairTables(float* cos, float* sin, QkShape s)
    {
        var (cosPairs, sinPairs) = (new float[s.Tokens * s.HeadDim], new float[s.Tokens * s.HeadDim]);
        for (long i = 0; i < s.Tokens * s.Pairs; i++)
        {
            cosPairs[2 * i] = cosPairs[2 * i + 1] = cos[i];
            (sinPairs[2 * i], sinPairs[2 * i + 1]) = (-sin[i], sin[i]);
        }
        return (cosPairs, sinPairs);
    }

    public void QkNormRopeBackward(Tensor qkv, Tensor wQ, Tensor wK, Tensor cos, Tensor sin, double eps,
        Tensor gQ, Tensor gK, Tensor gQkv, Tensor gWQ, Tensor gWK)
    {
        var s = QkShape.Of(qkv, gQ, cos, sin, wQ, wK, "gQ");
        if (!gQkv.shape.SequenceEqual(qkv.shape)) throw new ArgumentException($"gQkv: expected qkv's shape, got [{string.Join(",", gQkv.shape)}]", nameof(gQkv));
        nint pqkv = (nint)TensorMemory.Floats(qkv, "qkv"), pc = (nint)TensorMemory.Floats(cos, "cos"), ps = (nint)TensorMemory.Floats(sin, "sin");
        nint pgx = (nint)TensorMemory.Floats(gQkv, "gQkv");
        nint[] w = [(nint)TensorMemory.Floats(wQ, "wQ"), (nint)TensorMemory.Floats(wK, "wK")];
        nint[] grads = [(nint)TensorMemory.Floats(gQ, "gQ"), (nint)TensorMemory.Floats(gK, "gK")];
        float e = (float)eps;
        int hd = s.HeadDim;
        // One qkv row holds heads·2 normed vectors: chunks of about 32 of them per float partial sum.
        long chunkRows = Math.Max(1, 32 / s.Heads);
        var (cosPairs, sinPairs) = PairTables((float*)pc, (float*)ps, s);
        double[] sums;
        fixed (float* pcp = cosPairs, psp = sinPairs)
        {
            nint cp = (nint)pcp, sp = (nint)psp;
            sums = Rows.SumPerSample(1, s.Batch * s.Tokens, chunkRows, 2 * hd, (_, r0, r1, partial) =>
            {
                fixed (float* sum = partial)
                    for (long r = r0; r < r1; r++)
                    {
                        long l = r % s.Tokens;
                        float* c = (float*)cp + l * hd, sn = (float*)sp + l * hd;
                        for (int part = 0; part < 2; part++)
                        for (int h = 0; h < s.Heads; h++)
                        {
                            float* x = (float*)pqkv + s.Source(r, part, h);
                            SimdRows.NormRotateBackward(x, SimdRows.InverseRms(x, hd, e), (float*)w[part], c, sn,
                                (float*)grads[part] + s.Target(r, h), sum + part * hd, (float*)pgx + s.Source(r, part, h), hd);
                        }
                        new Span<float>((float*)pgx + s.Source(r, 2, 0), (int)s.Width).Clear();
                    }
            });
        }
        Store(sums, gWQ, "gWQ", 0, hd, 2 * hd);
        Store(sums, gWK, "gWK", hd, hd, 2 * hd);
    }
}
