using static TorchSharp.torch;

namespace Seaweed.Parallel.Sharding;

/// <summary>AdamW hyper-parameters; the defaults are torch.optim.AdamW's.</summary>
public sealed record AdamWOptions
{
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first field out of range.</summary>
    public AdamWOptions Validate()
    {
        if (!(Beta1 >= 0 && Beta1 < 1)) throw new ArgumentException($"beta1 {Beta1} must be in [0, 1)", "beta1");
        if (!(Beta2 >= 0 && Beta2 < 1)) throw new ArgumentException($"beta2 {Beta2} must be in [0, 1)", "beta2");
        if (!(Eps > 0 && double.IsFinite(Eps))) throw new ArgumentException($"eps {Eps} must be a finite number > 0", "eps");
        if (!(WeightDecay >= 0 && double.IsFinite(WeightDecay)))
            throw new ArgumentException($"weightDecay {WeightDecay} must be a finite number ≥ 0", "weightDecay");
        return this;
    }
}

/// <summary>
/// AdamW (Loshchilov &amp; Hutter) over flat 1-D parameter shards: each rank keeps the first and second moments of
/// its shards only. The update is torch.optim.AdamW's, element by element: decoupled decay p ← p·(1 − lr·λ), then
/// p ← p − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
/// </summary>
public sealed class ShardedAdamW : IDisposable
{
    private readonly Tensor[] expAvg;
    private readonly Tensor[] expAvgSq;

    /// <param name="device">Where the state lives: the parameter shards' device (the CPU when null).</param>
    public ShardedAdamW(AdamWOptions options, IReadOnlyList<long> shardLengths, Device? device = null)
    {
        Options = options.Validate();
        expAvg = shardLengths.Select(n => zeros(n, dtype: float32, device: device).DetachFromDisposeScope()).ToArray();
        expAvgSq = shardLengths.Select(n => zeros(n, dtype: float32, device: device).DetachFromDisposeScope()).ToArray();
    }

    public AdamWOptions Options { get; }

    /// <summary>Optimizer steps taken (t in the bias corrections).</summary>
    public long StepCount { get; private set; }

    /// <summary>m, one per shard (live: copy before keeping).</summary>
    public IReadOnlyList<Tensor> ExpAvg => expAvg;

    /// <summary>v, one per shard (live: copy before keeping).</summary>
    public IReadOnlyList<Tensor> ExpAvgSq => expAvgSq;

    public long StateBytes => expAvg.Concat(expAvgSq).Sum(t => t.numel() * t.ElementSize);

    /// <summary>One update of every shard in place, <paramref name="gradients"/>[i] being the gradient of <paramref name="parameters"/>[i].</summary>
    public void Step(IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> gradients, double learningRate)
    {
        if (parameters.Count != expAvg.Length || gradients.Count != expAvg.Length)
            throw new ArgumentException($"expected {expAvg.Length} shards, got {parameters.Count} parameters and {gradients.Count} gradients", nameof(parameters));
        if (!(learningRate >= 0 && double.IsFinite(learningRate)))
            throw new ArgumentException($"learning rate {learningRate} must be a finite number ≥ 0", nameof(learningRate));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        StepCount++;
        double bias1 = 1 - Math.Pow(Options.Beta1, StepCount);
        double bias2Sqrt = Math.Sqrt(1 - Math.Pow(Options.Beta2, StepCount));
        for (int i = 0; i < expAvg.Length; i++)
        {
            Tensor p = parameters[i], g = gradients[i], m = expAvg[i], v = expAvgSq[i];
            if (p.numel() != m.numel() || g.numel() != m.numel())
                throw new ArgumentException($"shard {i}: parameter {p.numel()} and gradient {g.numel()} elements, state {m.numel()}", nameof(parameters));
            p.mul_(1 - learningRate * Options.WeightDecay);
            m.mul_(Options.Beta1).add_(g, alpha: 1 - Options.Beta1);
            v.mul_(Options.Beta2).addcmul_(g, g, value: 1 - Options.Beta2);
            var denominator = (v.sqrt() / bias2Sqrt).add_(Options.Eps);
            p.addcdiv_(m, denominator, value: -learningRate / bias1);
        }
    }

    /// <summary>
    /// Puts back a state taken from <see cref="StepCount"/>, <see cref="ExpAvg"/> and <see cref="ExpAvgSq"/>; a
    /// mismatch throws before anything changes.
    /// </summary>
    public void Restore(long stepCount, IReadOnlyList<Tensor> expAvgShards, IReadOnlyList<Tensor> expAvgSqShards)
    {
        if (stepCount < 0) throw new ArgumentException($"step {stepCount} must not be negative", nameof(stepCount));
        CheckShapes(expAvgShards, nameof(expAvgShards));
        CheckShapes(expAvgSqShards, nameof(expAvgSqShards));
        using var noGrad = no_grad();
        for (int i = 0; i < expAvg.Length; i++)
        {
            expAvg[i].copy_(expAvgShards[i].reshape(-1));
            expAvgSq[i].copy_(expAvgSqShards[i].reshape(-1));
        }
        StepCount = stepCount;
    }

    private void CheckShapes(IReadOnlyList<Tensor> source, string name)
    {
        if (source.Count != expAvg.Length) throw new ArgumentException($"expected {expAvg.Length} shards, got {source.Count}", name);
        for (int i = 0; i < expAvg.Length; i++)
            if (source[i].numel() != expAvg[i].numel())
                throw new ArgumentException($"shard {i} has {source[i].numel()} elements, expected {expAvg[i].numel()}", name);
    }

    public void Dispose()
    {
        foreach (var t in expAvg.Concat(expAvgSq)) t.Dispose();
    }
}
