using System.Numerics;
using System.Runtime.CompilerServices;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

namespace Seaweed.Kernels;

/// <summary>
/// The element-wise ops' row bodies as single vector loops: every output and gradient of a row in one sweep, with no
/// per-call dispatch inside it (a row of the tiny DiT is 256 floats, where a library call per step costs as much as
/// the arithmetic). Rows of one call never overlap, except where a parameter says it may alias. Compiled fully
/// optimised from the first call: unoptimised vector code is many times slower, and a step calls each op only a few
/// times before tiered compilation would promote it.
/// </summary>
internal static unsafe class SimdRows
{
    private static readonly int Lanes = Vector<float>.Count;

    /// <summary>y = x + gate · f.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatedResidual(float* x, float* gate, float* f, float* y, int d)
    {
        int j = 0;
        for (; j <= d - Lanes; j += Lanes)
            Vector.Store(Vector.FusedMultiplyAdd(Vector.Load(gate + j), Vector.Load(f + j), Vector.Load(x + j)), y + j);
        for (; j < d; j++) y[j] = MathF.FusedMultiplyAdd(gate[j], f[j], x[j]);
    }

    /// <summary>gF = gY · gate and sum += gY · f (the gate's gradient, summed over a sample's rows).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void GatedResidualBackward(float* gY, float* gate, float* f, float* gF, float* sum, int d)
    {
        int j = 0;
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
        var one = Vector<float>.One;
        int j = 0;
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
