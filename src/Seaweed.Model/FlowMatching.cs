using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>
/// Rectified-flow objective: x_t = (1 − t)·x0 + t·ε, the model predicts v = ε − x0. Training times are
/// logit-normal and shifted toward noise for larger inputs: shift(t, s) = s·t / (1 + (s − 1)·t).
/// </summary>
public static class FlowMatching
{
    /// <param name="time">(B) broadcast over the remaining dimensions of x0.</param>
    public static Tensor Noised(Tensor x0, Tensor noise, Tensor time)
    {
        var t = Broadcast(time, x0);
        return (1 - t) * x0 + t * noise;
    }

    public static Tensor Velocity(Tensor x0, Tensor noise) => noise - x0;

    public static Tensor Loss(Tensor predicted, Tensor x0, Tensor noise) =>
        nn.functional.mse_loss(predicted, Velocity(x0, noise));

    /// <summary>
    /// One sequence shard's share of <see cref="Loss"/>: the squared error over the shard's video tokens ÷ the
    /// element count of the whole batch, so the shares of all context-parallel ranks (and their gradients) sum to
    /// the unsharded loss.
    /// </summary>
    /// <param name="predicted">(B, N_local, C·pt·ph·pw) from <see cref="HybridStreamDiT.ForwardTokens"/>.</param>
    /// <param name="x0">(B, C, F, H, W) the whole clean latent; likewise <paramref name="noise"/>.</param>
    public static Tensor SequenceShardedLoss(Tensor predicted, Tensor x0, Tensor noise, int[] patch, TokenSpan span)
    {
        using var scope = NewDisposeScope();
        var target = HybridStreamDiT.Patchify(Velocity(x0, noise), patch).narrow(1, span.VideoStart, span.VideoLength);
        return ((predicted - target).pow(2).sum() / x0.numel()).MoveToOuterDisposeScope();
    }

    /// <summary>Shift for an input of <paramref name="tokens"/> latent tokens: linear between the configured end points, clamped.</summary>
    public static double Shift(FlowConfig c, long tokens)
    {
        double a = Math.Clamp((double)(tokens - c.ShiftMinTokens) / (c.ShiftMaxTokens - c.ShiftMinTokens), 0, 1);
        return c.ShiftMin + a * (c.ShiftMax - c.ShiftMin);
    }

    public static double Shifted(double t, double shift) => shift * t / (1 + (shift - 1) * t);

    public static Tensor Shifted(Tensor t, double shift) => shift * t / (1 + (shift - 1) * t);

    /// <summary>(B) training times: sigmoid(N(mean, std)), then shifted.</summary>
    public static Tensor SampleTime(long batch, FlowConfig c, double shift, Generator? generator = null, Device? device = null)
    {
        using var scope = NewDisposeScope();
        var u = randn(batch, generator: generator, device: device) * c.LogitStd + c.LogitMean;
        return Shifted(sigmoid(u), shift).MoveToOuterDisposeScope();
    }

    internal static Tensor Broadcast(Tensor time, Tensor like) =>
        time.view([time.shape[0], .. Enumerable.Repeat(1L, (int)like.dim() - 1)]).to(like.dtype);
}

/// <summary>Velocity prediction for x_t at times t (B); <c>conditional</c> false means the empty prompt.</summary>
public delegate Tensor VelocityModel(Tensor latent, Tensor time, bool conditional);

/// <summary>Euler integration of the flow from t = 1 (noise) to t = 0 on shifted uniform steps, with classifier-free guidance.</summary>
public static class EulerSampler
{
    /// <summary>steps + 1 times from 1 down to 0.</summary>
    public static double[] Timesteps(int steps, double shift)
    {
        if (steps <= 0) throw new ConfigException("steps", $"{steps} must be positive");
        return Enumerable.Range(0, steps + 1).Select(i => FlowMatching.Shifted(1 - (double)i / steps, shift)).ToArray();
    }

    /// <summary>v = v_uncond + g·(v_cond − v_uncond); g = 1 is the conditional prediction.</summary>
    public static Tensor Guide(Tensor conditional, Tensor unconditional, double guidance) =>
        unconditional + guidance * (conditional - unconditional);

    /// <summary>Integrates from <paramref name="noise"/>; <paramref name="cancellationToken"/> is checked before each step.</summary>
    public static Tensor Sample(VelocityModel model, Tensor noise, int steps, double guidance, double shift, IProgress<int>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (!double.IsFinite(guidance) || guidance < 0) throw new ConfigException("guidance", $"{guidance} must be a finite number ≥ 0");
        var times = Timesteps(steps, shift);
        // Sampling never backpropagates: without this every step would keep the previous steps' graphs alive.
        using var noGrad = no_grad();
        var x = noise.clone();
        for (int i = 0; i < steps; i++)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                x.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }
            using var scope = NewDisposeScope();
            var t = full(noise.shape[0], times[i], dtype: float32, device: noise.device);
            var v = model(x, t, conditional: true);
            if (guidance != 1) v = Guide(v, model(x, t, conditional: false), guidance);
            var next = (x + (times[i + 1] - times[i]) * v).MoveToOuterDisposeScope();
            x.Dispose();
            x = next;
            progress?.Report(i + 1);
        }
        return x;
    }
}
