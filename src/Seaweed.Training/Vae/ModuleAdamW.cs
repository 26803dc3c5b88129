using Seaweed.Parallel.Sharding;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Training.Vae;

/// <summary>
/// AdamW (the project's <see cref="ShardedAdamW"/>, one shard per parameter) over one module's parameters, with
/// torch's global gradient-norm clipping. Its state is tensors, so a checkpoint holds it exactly.
/// </summary>
public sealed class ModuleAdamW : IDisposable
{
    private readonly Parameter[] parameters;
    private readonly ShardedAdamW adam;
    private readonly double? maxGradNorm;

    public ModuleAdamW(nn.Module module, AdamWOptions options, double? maxGradNorm)
    {
        parameters = module.parameters().ToArray();
        adam = new ShardedAdamW(options, parameters.Select(p => p.numel()).ToArray());
        this.maxGradNorm = maxGradNorm;
    }

    public void ZeroGrad()
    {
        foreach (var p in parameters) p.grad = null;
    }

    /// <summary>One update from the accumulated gradients (none counts as zero); returns their norm before clipping.</summary>
    public double Step(double learningRate)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = parameters.Select(p => p.grad is { } g ? g.reshape(-1) : zeros(p.numel(), dtype: p.dtype)).ToArray();
        double norm = Math.Sqrt(grads.Sum(g => g.to(float64).square().sum().item<double>()));
        if (maxGradNorm is { } max && norm > max)
        {
            // torch.nn.utils.clip_grad_norm_: scale by max / (norm + 1e-6).
            double coefficient = max / (norm + 1e-6);
            grads = grads.Select(g => g * coefficient).ToArray();
        }
        adam.Step(parameters.Select(p => p.view(-1)).ToArray(), grads, learningRate);
        return norm;
    }

    /// <summary>The moments and step count, as tensors named under <paramref name="prefix"/> (copies).</summary>
    public IEnumerable<KeyValuePair<string, Tensor>> State(string prefix)
    {
        yield return new($"{prefix}step", tensor(new[] { adam.StepCount }));
        for (int i = 0; i < parameters.Length; i++)
        {
            yield return new($"{prefix}m.{i}", adam.ExpAvg[i].clone());
            yield return new($"{prefix}v.{i}", adam.ExpAvgSq[i].clone());
        }
    }

    /// <summary>Puts back a state written by <see cref="State"/>; a missing or mis-sized tensor throws before anything changes.</summary>
    public void Restore(IReadOnlyDictionary<string, Tensor> tensors, string prefix, string source)
    {
        Tensor Get(string name) => tensors.TryGetValue(prefix + name, out var t) ? t : throw new InvalidDataException($"{source}: no tensor '{prefix}{name}'");
        long step = Get("step").item<long>();
        try
        {
            adam.Restore(step, Enumerable.Range(0, parameters.Length).Select(i => Get($"m.{i}")).ToArray(),
                Enumerable.Range(0, parameters.Length).Select(i => Get($"v.{i}")).ToArray());
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{source}: the optimizer state '{prefix}' does not fit the model: {e.Message}");
        }
    }

    public void Dispose() => adam.Dispose();
}
