using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
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
        Rows.For(s.Batch * s.Tokens, 2 * s.Width, (r0, r1) =>
        {
            for (long r = r0; r < r1; r++)
            {
                long l = r % s.Tokens;
                float* c = (float*)pc + l * s.Pairs, sn = (float*)ps + l * s.Pairs;
                for (int part = 0; part < 2; part++)
                for (int h = 0; h < s.Heads; h++)
                {
                    float* x = (float*)pqkv + s.Source(r, part, h);
                    float* y = (float*)outputs[part] + s.Target(r, h);
                    float* g = (float*)w[part];
                    float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(x, s.HeadDim)) / s.HeadDim + e);
                    for (int i = 0; i < s.Pairs; i++)
                    {
                        float n0 = x[2 * i] * inv * g[2 * i], n1 = x[2 * i + 1] * inv * g[2 * i + 1];
                        y[2 * i] = n0 * c[i] - n1 * sn[i];
                        y[2 * i + 1] = n0 * sn[i] + n1 * c[i];
                    }
                }
            }
        });
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
        var sums = Rows.SumPerSample(1, s.Batch * s.Tokens, chunkRows, 2 * hd, (_, r0, r1, partial) =>
        {
            var gxHat = new float[hd];
            for (long r = r0; r < r1; r++)
            {
                long l = r % s.Tokens;
                float* c = (float*)pc + l * s.Pairs, sn = (float*)ps + l * s.Pairs;
                for (int part = 0; part < 2; part++)
                {
                    var accW = partial.Slice(part * hd, hd);
                    for (int h = 0; h < s.Heads; h++)
                    {
                        float* x = (float*)pqkv + s.Source(r, part, h);
                        float* gy = (float*)grads[part] + s.Target(r, h);
                        float* g = (float*)w[part];
                        var xHat = new Span<float>((float*)pgx + s.Source(r, part, h), hd);
                        float inv = 1f / MathF.Sqrt(TensorPrimitives.SumOfSquares(new ReadOnlySpan<float>(x, hd)) / hd + e);
                        for (int i = 0; i < s.Pairs; i++)
                        {
                            // The inverse rotation takes the output gradient back to the normed vector n = x̂ · w.
                            float gn0 = gy[2 * i] * c[i] + gy[2 * i + 1] * sn[i];
                            float gn1 = gy[2 * i + 1] * c[i] - gy[2 * i] * sn[i];
                            float x0 = x[2 * i] * inv, x1 = x[2 * i + 1] * inv;
                            xHat[2 * i] = x0;
                            xHat[2 * i + 1] = x1;
                            accW[2 * i] += gn0 * x0;
                            accW[2 * i + 1] += gn1 * x1;
                            gxHat[2 * i] = gn0 * g[2 * i];
                            gxHat[2 * i + 1] = gn1 * g[2 * i + 1];
                        }
                        RmsNormBackward(xHat, gxHat, inv, xHat);
                    }
                }
                new Span<float>((float*)pgx + s.Source(r, 2, 0), (int)s.Width).Clear();
            }
        });
        Store(sums, gWQ, "gWQ", 0, hd, 2 * hd);
        Store(sums, gWK, "gWK", hd, hd, 2 * hd);
    }
}
