using ILGPU;

namespace Seaweed.Kernels;

/// <summary>Sizes of the fused QK-norm + RoPE (see <see cref="QkShape"/>); one struct keeps the kernels' argument lists short.</summary>
public readonly struct QkDims(int tokens, int heads, int headDim, float eps)
{
    public readonly int Tokens = tokens, Heads = heads, HeadDim = headDim;
    public readonly float Eps = eps;
}

/// <summary>Sizes of a (B, L, d) row operator with a per-sample (B, d) operand.</summary>
public readonly struct RowDims(int perSample, int width, float eps)
{
    public readonly int PerSample = perSample, Width = width;
    public readonly float Eps = eps;
}

/// <summary>
/// The fused operators as ILGPU kernels: one thread per normed vector for the row operators, one per element for
/// the element-wise ones, one per column for the weight and per-sample reductions (summed in double, in order).
/// Only PTX-safe math: sqrt and exp2 (exp(x) = exp2(x·log2 e)); MathF.Exp has no PTX lowering in core ILGPU.
/// </summary>
public static class IlgpuKernels
{
    private const float Log2E = 1.44269504f;

    private static float Sigmoid(float x) => 1f / (1f + IntrinsicMath.CPUOnly.Exp2(-x * Log2E));

    private static float InverseRms(ArrayView<float> v, long offset, int n, float eps)
    {
        float sum = 0;
        for (int j = 0; j < n; j++) sum += v[offset + j] * v[offset + j];
        return 1f / MathF.Sqrt(sum / n + eps);
    }

    /// <summary>Vector i = (row, part, head) of qkv, row = b·L + l, part 0 q / 1 k.</summary>
    public static void QkNormRopeForward(Index1D i, ArrayView<float> qkv, ArrayView<float> wQ, ArrayView<float> wK,
        ArrayView<float> cos, ArrayView<float> sin, ArrayView<float> q, ArrayView<float> k, QkDims d)
    {
        long row = i / (2 * d.Heads);
        int part = i / d.Heads % 2, h = i % d.Heads, pairs = d.HeadDim / 2;
        long width = (long)d.Heads * d.HeadDim;
        long src = row * 3 * width + part * width + (long)h * d.HeadDim;
        long dst = ((row / d.Tokens * d.Heads + h) * d.Tokens + row % d.Tokens) * d.HeadDim;
        long l = row % d.Tokens;
        var w = part == 0 ? wQ : wK;
        var y = part == 0 ? q : k;
        float inv = InverseRms(qkv, src, d.HeadDim, d.Eps);
        for (int p = 0; p < pairs; p++)
        {
            float n0 = qkv[src + 2 * p] * inv * w[2 * p], n1 = qkv[src + 2 * p + 1] * inv * w[2 * p + 1];
            float c = cos[l * pairs + p], s = sin[l * pairs + p];
            y[dst + 2 * p] = n0 * c - n1 * s;
            y[dst + 2 * p + 1] = n0 * s + n1 * c;
        }
    }

    /// <summary>
    /// Vector i = (row, part, head) with part 0 q, 1 k, 2 v (zero gradient); gN·x̂ goes to <paramref name="products"/>
    /// laid out (part, row·heads + head, hd) for <see cref="ColumnSums"/>.
    /// </summary>
    public static void QkNormRopeBackward(Index1D i, ArrayView<float> qkv, ArrayView<float> wQ, ArrayView<float> wK,
        ArrayView<float> cos, ArrayView<float> sin, ArrayView<float> gQ, ArrayView<float> gK, ArrayView<float> gQkv,
        ArrayView<float> products, QkDims d)
    {
        long row = i / (3 * d.Heads);
        int part = i / d.Heads % 3, h = i % d.Heads, pairs = d.HeadDim / 2;
        long width = (long)d.Heads * d.HeadDim;
        long src = row * 3 * width + part * width + (long)h * d.HeadDim;
        if (part == 2)
        {
            for (int j = 0; j < d.HeadDim; j++) gQkv[src + j] = 0;
            return;
        }
        long dst = ((row / d.Tokens * d.Heads + h) * d.Tokens + row % d.Tokens) * d.HeadDim;
        long rows = products.Length / (2 * width);
        long prod = (part * rows * d.Heads + row * d.Heads + h) * d.HeadDim;
        long l = row % d.Tokens;
        var w = part == 0 ? wQ : wK;
        var gy = part == 0 ? gQ : gK;
        float inv = InverseRms(qkv, src, d.HeadDim, d.Eps);
        float dot = 0;
        for (int p = 0; p < pairs; p++)
        {
            float c = cos[l * pairs + p], s = sin[l * pairs + p];
            float gn0 = gy[dst + 2 * p] * c + gy[dst + 2 * p + 1] * s;
            float gn1 = gy[dst + 2 * p + 1] * c - gy[dst + 2 * p] * s;
            float x0 = qkv[src + 2 * p] * inv, x1 = qkv[src + 2 * p + 1] * inv;
            products[prod + 2 * p] = gn0 * x0;
            products[prod + 2 * p + 1] = gn1 * x1;
            float g0 = gn0 * w[2 * p], g1 = gn1 * w[2 * p + 1];
            gQkv[src + 2 * p] = g0; // gx̂ for now
            gQkv[src + 2 * p + 1] = g1;
            dot += g0 * x0 + g1 * x1;
        }
        RmsNormBackward(qkv, src, gQkv, d.HeadDim, inv, dot / d.HeadDim);
    }

    /// <summary>gx = r · (gx̂ − x̂ · mean) in place of gx̂, with x̂ = x · r recomputed.</summary>
    private static void RmsNormBackward(ArrayView<float> x, long offset, ArrayView<float> g, int n, float inv, float mean)
    {
        for (int j = 0; j < n; j++) g[offset + j] = inv * (g[offset + j] - x[offset + j] * inv * mean);
    }

    /// <summary>Row i of x (B·L, d).</summary>
    public static void ModulateForward(Index1D i, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> shift, ArrayView<float> y, RowDims d)
    {
        long row = (long)i.X * d.Width, sample = i.X / d.PerSample * (long)d.Width;
        float inv = InverseRms(x, row, d.Width, d.Eps);
        for (int j = 0; j < d.Width; j++) y[row + j] = x[row + j] * inv * scale[sample + j] + shift[sample + j];
    }

    /// <summary>Row i; gy·x̂ goes to <paramref name="products"/> (B·L, d) for the scale's <see cref="ColumnSums"/>.</summary>
    public static void ModulateBackward(Index1D i, ArrayView<float> x, ArrayView<float> scale, ArrayView<float> gY,
        ArrayView<float> gX, ArrayView<float> products, RowDims d)
    {
        long row = (long)i.X * d.Width, sample = i.X / d.PerSample * (long)d.Width;
        float inv = InverseRms(x, row, d.Width, d.Eps);
        float dot = 0;
        for (int j = 0; j < d.Width; j++)
        {
            float xHat = x[row + j] * inv, g = gY[row + j] * scale[sample + j];
            products[row + j] = gY[row + j] * xHat;
            gX[row + j] = g;
            dot += g * xHat;
        }
        RmsNormBackward(x, row, gX, d.Width, inv, dot / d.Width);
    }

    /// <summary>Element i of (B·L, d).</summary>
    public static void GatedResidualForward(Index1D i, ArrayView<float> x, ArrayView<float> gate, ArrayView<float> f, ArrayView<float> y, RowDims d)
    {
        y[i] = x[i] + GateOf(i.X, gate, d) * f[i];
    }

    /// <summary>Element i; gy·f goes to <paramref name="products"/> for the gate's <see cref="ColumnSums"/>.</summary>
    public static void GatedResidualBackward(Index1D i, ArrayView<float> gate, ArrayView<float> f, ArrayView<float> gY,
        ArrayView<float> gF, ArrayView<float> products, RowDims d)
    {
        gF[i] = gY[i] * GateOf(i.X, gate, d);
        products[i] = gY[i] * f[i];
    }

    private static float GateOf(long i, ArrayView<float> gate, RowDims d) =>
        gate[i / ((long)d.PerSample * d.Width) * d.Width + i % d.Width];

    /// <summary>Element i of y (rows, hidden).</summary>
    public static void SwiGluForward(Index1D i, ArrayView<float> gateUp, ArrayView<float> y, int hidden)
    {
        long a = i / hidden * 2L * hidden + i % hidden;
        float av = gateUp[a];
        y[i] = av * Sigmoid(av) * gateUp[a + hidden];
    }

    public static void SwiGluBackward(Index1D i, ArrayView<float> gateUp, ArrayView<float> gY, ArrayView<float> gGateUp, int hidden)
    {
        long a = i / hidden * 2L * hidden + i % hidden;
        float av = gateUp[a], s = Sigmoid(av), silu = av * s;
        gGateUp[a] = gY[i] * gateUp[a + hidden] * (s + silu * (1 - s));
        gGateUp[a + hidden] = gY[i] * silu;
    }

    /// <summary>Column i = (sample, j) of source (samples, rowsPerSample, width): the sum over its rows, in double.</summary>
    public static void ColumnSums(Index1D i, ArrayView<float> source, ArrayView<float> target, int rowsPerSample, int width)
    {
        long sample = i / width, j = i % width;
        double sum = 0;
        for (long r = 0; r < rowsPerSample; r++) sum += source[(sample * rowsPerSample + r) * width + j];
        target[i] = (float)sum;
    }
}
