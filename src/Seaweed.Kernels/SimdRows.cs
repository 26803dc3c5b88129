using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Seaweed.Kernels;

/// <summary>
/// The element-wise ops' row bodies as single vector loops: every output and gradient of a row in one sweep, with no
/// per-call dispatch inside it (a row of the tiny DiT is 256 floats, where a library call per step costs as much as
/// the arithmetic). Rows of one call never overlap, except where a parameter says it may alias. Compiled fully
/// optimised from the first call: unoptimised vector code is many times slower, and a step calls each op only a few
/// times before tiered compilation would promote it. Each loop runs 512-bit vectors where the CPU has them
/// (<see cref="Vector{T}"/> stays 256-bit there), then <see cref="Vector{T}"/>, then scalars for the tail.
/// </summary>
internal static unsafe class SimdRows
{
    private static readonly int Lanes = Vector<float>.Count;
    private static readonly int WideLanes = Vector512.IsHardwareAccelerated ? Vector512<float>.Count : int.MaxValue;

    /// <summary>1 / sqrt(mean(x²) + eps) of one row.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float InverseRms(float* x, int d, float eps)
    {
        int j = 0;
        var wide = Vector512<float>.Zero;
        for (; j <= d - WideLanes; j += WideLanes)
        {
            var v = Vector512.Load(x + j);
            wide = Vector512.FusedMultiplyAdd(v, v, wide);
        }
        var acc = Vector<float>.Zero;
        for (; j <= d - Lanes; j += Lanes)
        {
            var v = Vector.Load(x + j);
            acc = Vector.FusedMultiplyAdd(v, v, acc);
        }
        float sum = Vector512.Sum(wide) + Vector.Sum(acc);
        for (; j < d; j++) sum = MathF.FusedMultiplyAdd(x[j], x[j], sum);
        return 1f / MathF.Sqrt(sum / d + eps);
    }

    /// <summary>
    /// QK-norm then RoPE of one head vector: n = x · r · g, then each pair (n₀, n₁) rotated by its angle, written as
    /// y = n ⊙ cosPairs + swap(n) ⊙ sinPairs with cosPairs = (c, c, …) and sinPairs = (−s, s, …) per pair, so the
    /// rotation is two vector multiplies and a lane swap instead of a scalar loop over pairs.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormRotate(float* x, float r, float* g, float* cosPairs, float* sinPairs, float* y, int hd)
    {
        int j = 0;
        var wr = Vector512.Create(r);
        var swap512 = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        for (; j <= hd - WideLanes; j += WideLanes)
        {
            var n = Vector512.Load(x + j) * wr * Vector512.Load(g + j);
            Vector512.Store(n * Vector512.Load(cosPairs + j) + Vector512.Shuffle(n, swap512) * Vector512.Load(sinPairs + j), y + j);
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var vr = Vector256.Create(r);
            var swap256 = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
            for (; j <= hd - Vector256<float>.Count; j += Vector256<float>.Count)
            {
                var n = Vector256.Load(x + j) * vr * Vector256.Load(g + j);
                Vector256.Store(n * Vector256.Load(cosPairs + j) + Vector256.Shuffle(n, swap256) * Vector256.Load(sinPairs + j), y + j);
            }
        }
        for (; j < hd; j += 2)
        {
            float n0 = x[j] * r * g[j], n1 = x[j + 1] * r * g[j + 1];
            y[j] = n0 * cosPairs[j] + n1 * sinPairs[j];
            y[j + 1] = n1 * cosPairs[j + 1] + n0 * sinPairs[j + 1];
        }
    }

    /// <summary>
    /// <see cref="NormRotate"/>'s backward for one head vector: the inverse rotation takes gY back to the normed
    /// vector, gn = gY ⊙ cosPairs − swap(gY) ⊙ sinPairs; then sumG += gn · x̂ and, with gx̂ = gn · g,
    /// gX = r · (gx̂ − x̂ · mean(gx̂ · x̂)) for x̂ = x · r. Two sweeps: the mean, then gX.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void NormRotateBackward(float* x, float r, float* g, float* cosPairs, float* sinPairs, float* gY, float* sumG, float* gX, int hd)
    {
        var swap512 = Vector512.Create(1, 0, 3, 2, 5, 4, 7, 6, 9, 8, 11, 10, 13, 12, 15, 14);
        var swap256 = Vector256.Create(1, 0, 3, 2, 5, 4, 7, 6);
        var (wr, vr) = (Vector512.Create(r), Vector256.Create(r));
        bool narrow = Vector256.IsHardwareAccelerated;
        int j = 0;
        var dot512 = Vector512<float>.Zero;
        for (; j <= hd - WideLanes; j += WideLanes)
        {
            var gy = Vector512.Load(gY + j);
            var gn = gy * Vector512.Load(cosPairs + j) - Vector512.Shuffle(gy, swap512) * Vector512.Load(sinPairs + j);
            var xHat = Vector512.Load(x + j) * wr;
            Vector512.Store(Vector512.FusedMultiplyAdd(gn, xHat, Vector512.Load(sumG + j)), sumG + j);
            dot512 = Vector512.FusedMultiplyAdd(gn * Vector512.Load(g + j), xHat, dot512);
        }
        var dot256 = Vector256<float>.Zero;
        for (; narrow && j <= hd - Vector256<float>.Count; j += Vector256<float>.Count)
        {
            var gy = Vector256.Load(gY + j);
            var gn = gy * Vector256.Load(cosPairs + j) - Vector256.Shuffle(gy, swap256) * Vector256.Load(sinPairs + j);
            var xHat = Vector256.Load(x + j) * vr;
            Vector256.Store(Vector256.FusedMultiplyAdd(gn, xHat, Vector256.Load(sumG + j)), sumG + j);
            dot256 = Vector256.FusedMultiplyAdd(gn * Vector256.Load(g + j), xHat, dot256);
        }
        int tail = j;
        float dot = Vector512.Sum(dot512) + Vector256.Sum(dot256);
        for (; j < hd; j += 2)
        {
            float gn0 = gY[j] * cosPairs[j] - gY[j + 1] * sinPairs[j];
            float gn1 = gY[j + 1] * cosPairs[j + 1] - gY[j] * sinPairs[j + 1];
            float x0 = x[j] * r, x1 = x[j + 1] * r;
            sumG[j] += gn0 * x0;
            sumG[j + 1] += gn1 * x1;
            dot += gn0 * g[j] * x0 + gn1 * g[j + 1] * x1;
        }
        float mean = dot / hd;
        j = 0;
        var (wm, vm) = (Vector512.Create(mean), Vector256.Create(mean));
        for (; j <= hd - WideLanes; j += WideLanes)
        {
            var gy = Vector512.Load(gY + j);
            var gn = gy * Vector512.Load(cosPairs + j) - Vector512.Shuffle(gy, swap512) * Vector512.Load(sinPairs + j);
            Vector512.Store((gn * Vector512.Load(g + j) - Vector512.Load(x + j) * wr * wm) * wr, gX + j);
        }
        for (; j < tail; j += Vector256<float>.Count)
        {
            var gy = Vector256.Load(gY + j);
            var gn = gy * Vector256.Load(cosPairs + j) - Vector256.Shuffle(gy, swap256) * Vector256.Load(sinPairs + j);
            Vector256.Store((gn * Vector256.Load(g + j) - Vector256.Load(x + j) * vr * vm) * vr, gX + j);
        }
        for (; j < hd; j += 2)
        {
            float gn0 = gY[j] * cosPairs[j] - gY[j + 1] * sinPairs[j];
            float gn1 = gY[j + 1] * cosPairs[j + 1] - gY[j] * sinPairs[j + 1];
            gX[j] = (gn0 * g[j] - x[j] * r * mean) * r;
            gX[j + 1] = (gn1 * g[j + 1] - x[j + 1] * r * mean) * r;
        }
    }

    /// <summary>y = x · r · scale + shift (AdaSingle modulation of one row, r its inverse RMS).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Modulate(float* x, float r, float* scale, float* shift, float* y, int d)
    {
        int j = 0;
        var wr = Vector512.Create(r);
        for (; j <= d - WideLanes; j += WideLanes)
            Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(x + j) * wr, Vector512.Load(scale + j), Vector512.Load(shift + j)), y + j);
        var vr = new Vector<float>(r);
        for (; j <= d - Lanes; j += Lanes)
            Vector.Store(Vector.FusedMultiplyAdd(Vector.Load(x + j) * vr, Vector.Load(scale + j), Vector.Load(shift + j)), y + j);
        for (; j < d; j++) y[j] = MathF.FusedMultiplyAdd(x[j] * r, scale[j], shift[j]);
    }

    /// <summary>
    /// The modulation's backward for one row, x̂ = x · r: sums gScale += gY · x̂ and gShift += gY, and
    /// gX = r · (gx̂ − x̂ · mean(gx̂ · x̂)) with gx̂ = gY · scale, that is r · gx̂ − x · r³ · mean(gY · scale · x).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ModulateBackward(float* x, float r, float* gY, float* scale, float* gX, float* sumScale, float* sumShift, int d)
    {
        int j = 0;
        var wideDot = Vector512<float>.Zero;
        for (; j <= d - WideLanes; j += WideLanes)
            wideDot = Vector512.FusedMultiplyAdd(Vector512.Load(gY + j) * Vector512.Load(scale + j), Vector512.Load(x + j), wideDot);
        var vDot = Vector<float>.Zero;
        for (; j <= d - Lanes; j += Lanes)
            vDot = Vector.FusedMultiplyAdd(Vector.Load(gY + j) * Vector.Load(scale + j), Vector.Load(x + j), vDot);
        float dot = Vector512.Sum(wideDot) + Vector.Sum(vDot);
        for (; j < d; j++) dot = MathF.FusedMultiplyAdd(gY[j] * scale[j], x[j], dot);
        float c = r * r * r * dot / d;

        j = 0;
        var (wr, wc) = (Vector512.Create(r), Vector512.Create(-c));
        for (; j <= d - WideLanes; j += WideLanes)
        {
            var (g, xj) = (Vector512.Load(gY + j) * wr, Vector512.Load(x + j));
            Vector512.Store(Vector512.FusedMultiplyAdd(g, xj, Vector512.Load(sumScale + j)), sumScale + j);
            Vector512.Store(Vector512.FusedMultiplyAdd(xj, wc, g * Vector512.Load(scale + j)), gX + j);
        }
        var (vr, vc) = (new Vector<float>(r), new Vector<float>(-c));
        for (; j <= d - Lanes; j += Lanes)
        {
            var (g, xj) = (Vector.Load(gY + j) * vr, Vector.Load(x + j));
            Vector.Store(Vector.FusedMultiplyAdd(g, xj, Vector.Load(sumScale + j)), sumScale + j);
            Vector.Store(Vector.FusedMultiplyAdd(xj, vc, g * Vector.Load(scale + j)), gX + j);
        }
        for (; j < d; j++)
        {
            float g = gY[j] * r;
            sumScale[j] = MathF.FusedMultiplyAdd(g, x[j], sumScale[j]);
            gX[j] = MathF.FusedMultiplyAdd(x[j], -c, g * scale[j]);
        }
        Add(sumShift, gY, d);
    }

    /// <summary>sum += g.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Add(float* sum, float* g, int d)
    {
        int j = 0;
        for (; j <= d - WideLanes; j += WideLanes) Vector512.Store(Vector512.Load(sum + j) + Vector512.Load(g + j), sum + j);
        for (; j <= d - Lanes; j += Lanes) Vector.Store(Vector.Load(sum + j) + Vector.Load(g + j), sum + j);
        for (; j < d; j++) sum[j] += g[j];
    }

    /// <summary>y = x + gate · f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatedResidual(float* x, float* gate, float* f, float* y, int d)
    {
        int j = 0;
        for (; j <= d - WideLanes; j += WideLanes)
            Vector512.Store(Vector512.FusedMultiplyAdd(Vector512.Load(gate + j), Vector512.Load(f + j), Vector512.Load(x + j)), y + j);
        for (; j <= d - Lanes; j += Lanes)
            Vector.Store(Vector.FusedMultiplyAdd(Vector.Load(gate + j), Vector.Load(f + j), Vector.Load(x + j)), y + j);
        for (; j < d; j++) y[j] = MathF.FusedMultiplyAdd(gate[j], f[j], x[j]);
    }

    /// <summary>gF = gY · gate and sum += gY · f (the gate's gradient, summed over a sample's rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatedResidualBackward(float* gY, float* gate, float* f, float* gF, float* sum, int d)
    {
        int j = 0;
        for (; j <= d - WideLanes; j += WideLanes)
        {
            var g = Vector512.Load(gY + j);
            Vector512.Store(g * Vector512.Load(gate + j), gF + j);
            Vector512.Store(Vector512.FusedMultiplyAdd(g, Vector512.Load(f + j), Vector512.Load(sum + j)), sum + j);
        }
        for (; j <= d - Lanes; j += Lanes)
        {
            var g = Vector.Load(gY + j);
            Vector.Store(g * Vector.Load(gate + j), gF + j);
            Vector.Store(Vector.FusedMultiplyAdd(g, Vector.Load(f + j), Vector.Load(sum + j)), sum + j);
        }
        for (; j < d; j++)
        {
            gF[j] = gY[j] * gate[j];
            sum[j] = MathF.FusedMultiplyAdd(gY[j], f[j], sum[j]);
        }
    }

    /// <summary>
    /// σ(a) = 1 / (1 + e^−a) for the SwiGLU rows' 512-bit stage, with e^x in float: x = n·ln 2 + r with ln 2 split in
    /// two (Cody–Waite), so |r| ≤ ln 2 / 2 exactly, and e^r by its degree-6 Taylor polynomial (relative error
    /// below 2e-7), scaled by 2^n through the exponent bits. The rest of a row goes to TensorPrimitives, whose
    /// exponential computes in double and is about twice as slow.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Sigmoid(Vector512<float> a) => Vector512<float>.One / (Vector512<float>.One + Exp(-a));

    /// <summary>σ over [from, h) of a row by TensorPrimitives: what the 512-bit stage leaves.</summary>
    private static void SigmoidTail(float* a, float* s, int from, int h)
    {
        if (from < h) TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(a + from, h - from), new Span<float>(s + from, h - from));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Exp(Vector512<float> x)
    {
        // Past these e^x leaves float's normal range: 0 below (after a denormal), +∞ above.
        x = Vector512.Min(Vector512.Max(x, Vector512.Create(-87.33654f)), Vector512.Create(88.72283f));
        var n = Vector512.Round(x * Vector512.Create(1.44269504f));
        var r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-0.693145752f), x);
        r = Vector512.FusedMultiplyAdd(n, Vector512.Create(-1.42860677e-6f), r);
        var p = Vector512.Create(1f / 720);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 120));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 24));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(1f / 6));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512.Create(0.5f));
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        p = Vector512.FusedMultiplyAdd(p, r, Vector512<float>.One);
        // 2^n for n in [−126, 128]: n = 128 (x near the top) is split as 2^127 · 2.
        var top = Vector512.GreaterThan(n, Vector512.Create(127f));
        n = Vector512.ConditionalSelect(top, n - Vector512<float>.One, n);
        p = Vector512.ConditionalSelect(top, p + p, p);
        var scale = Vector512.ShiftLeft(Vector512.ConvertToInt32(n) + Vector512.Create(127), 23).AsSingle();
        return p * scale;
    }

    /// <summary>y = silu(a) · b = a · σ(a) · b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwiGlu(float* a, float* b, float* y, int h)
    {
        int j = 0;
        for (; j <= h - WideLanes; j += WideLanes)
        {
            var va = Vector512.Load(a + j);
            Vector512.Store(va * Sigmoid(va) * Vector512.Load(b + j), y + j);
        }
        SigmoidTail(a, y, j, h);
        for (; j <= h - Lanes; j += Lanes)
            Vector.Store(Vector.Load(y + j) * Vector.Load(a + j) * Vector.Load(b + j), y + j);
        for (; j < h; j++) y[j] = y[j] * a[j] * b[j];
    }

    /// <summary>
    /// gA = gY · b · silu'(a), gB = gY · silu(a), with silu'(a) = σ + silu · (1 − σ). Past the 512-bit stage gA
    /// first holds σ(a): it is read back at each lane before being overwritten there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwiGluBackward(float* a, float* b, float* gY, float* gA, float* gB, int h)
    {
        int j = 0;
        for (; j <= h - WideLanes; j += WideLanes)
        {
            var s = Sigmoid(Vector512.Load(a + j));
            var silu = Vector512.Load(a + j) * s;
            var g = Vector512.Load(gY + j);
            Vector512.Store(g * silu, gB + j);
            Vector512.Store(g * Vector512.Load(b + j) * Vector512.FusedMultiplyAdd(silu, Vector512<float>.One - s, s), gA + j);
        }
        SigmoidTail(a, gA, j, h);
        var one = Vector<float>.One;
        for (; j <= h - Lanes; j += Lanes)
        {
            var s = Vector.Load(gA + j);
            var silu = Vector.Load(a + j) * s;
            var g = Vector.Load(gY + j);
            Vector.Store(g * silu, gB + j);
            Vector.Store(g * Vector.Load(b + j) * Vector.FusedMultiplyAdd(silu, one - s, s), gA + j);
        }
        for (; j < h; j++)
        {
            float s = gA[j], silu = a[j] * s;
            gB[j] = gY[j] * silu;
            gA[j] = gY[j] * b[j] * MathF.FusedMultiplyAdd(silu, 1 - s, s);
        }
    }
}
