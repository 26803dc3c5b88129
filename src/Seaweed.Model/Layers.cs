using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>Root-mean-square norm over the last dimension; optional learned gain.</summary>
public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    private readonly Parameter? weight;
    private readonly double eps;

    internal Parameter? Weight => weight;
    internal double Eps => eps;

    public RMSNorm(long dim, double eps, bool affine = true) : base(nameof(RMSNorm))
    {
        this.eps = eps;
        if (affine) weight = nn.Parameter(ones(dim));
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var y = x * rsqrt(x.pow(2).mean([-1], keepdim: true) + eps);
        if (weight is not null) y = y * weight;
        return y.MoveToOuterDisposeScope();
    }
}

/// <summary>SwiGLU feed-forward: down(silu(gate(x)) · up(x)); gate and up share one matmul.</summary>
public sealed class SwiGLU : nn.Module<Tensor, Tensor>
{
    private readonly Linear gate_up;
    private readonly Linear down;

    public SwiGLU(long dim, long hidden) : base(nameof(SwiGLU))
    {
        gate_up = nn.Linear(dim, 2 * hidden, hasBias: false);
        down = nn.Linear(hidden, dim, hasBias: false);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, DitOps.Reference);

    /// <summary>The gating silu(gate) · up computed by <paramref name="ops"/>.</summary>
    internal Tensor Forward(Tensor x, DitOps ops)
    {
        using var scope = NewDisposeScope();
        return down.call(ops.SwiGlu(gate_up.call(x))).MoveToOuterDisposeScope();
    }

    public static long ParameterCount(long dim, long hidden) => 3 * dim * hidden;
}

/// <summary>Sinusoidal embedding of a scalar (the diffusion time), as in DiT: [cos(t·f), sin(t·f)].</summary>
public static class TimestepEmbedding
{
    /// <param name="t">(B) times in [0, 1]; scaled by 1000 so frequencies match the usual integer-step range.</param>
    public static Tensor Sinusoidal(Tensor t, int dim, double maxPeriod = 10000)
    {
        using var scope = NewDisposeScope();
        int half = dim / 2;
        var freqs = exp(-Math.Log(maxPeriod) * arange(half, dtype: float32, device: t.device) / half);
        var args = (t.to(float32) * 1000).unsqueeze(-1) * freqs.unsqueeze(0);
        return cat([cos(args), sin(args)], -1).MoveToOuterDisposeScope();
    }
}
