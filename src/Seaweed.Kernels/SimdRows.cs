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

    /// <summary>y = silu(a) · b = a · σ(a) · b.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwiGlu(float* a, float* b, float* y, int h)
    {
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(a, h), new Span<float>(y, h)); // σ(a), vectorised exp
        int j = 0;
        for (; j <= h - WideLanes; j += WideLanes)
            Vector512.Store(Vector512.Load(y + j) * Vector512.Load(a + j) * Vector512.Load(b + j), y + j);
        for (; j <= h - Lanes; j += Lanes)
            Vector.Store(Vector.Load(y + j) * Vector.Load(a + j) * Vector.Load(b + j), y + j);
        for (; j < h; j++) y[j] = y[j] * a[j] * b[j];
    }

    /// <summary>
    /// gA = gY · b · silu'(a), gB = gY · silu(a), with silu'(a) = σ + silu · (1 − σ). gA first holds σ(a): it is
    /// read back at each lane before being overwritten there.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SwiGluBackward(float* a, float* b, float* gY, float* gA, float* gB, int h)
    {
        TensorPrimitives.Sigmoid(new ReadOnlySpan<float>(a, h), new Span<float>(gA, h));
        int j = 0;
        for (; j <= h - WideLanes; j += WideLanes)
        {
            var s = Vector512.Load(gA + j);
            var silu = Vector512.Load(a + j) * s;
            var g = Vector512.Load(gY + j);
            Vector512.Store(g * silu, gB + j);
            Vector512.Store(g * Vector512.Load(b + j) * Vector512.FusedMultiplyAdd(silu, Vector512<float>.One - s, s), gA + j);
        }
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
