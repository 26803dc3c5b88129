using Seaweed.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

/// <summary>A 3-layer, 6-head DiT of hidden 48 and a fixed global batch of tiny samples (8 video + 3 text tokens).</summary>
internal static class TinyDit
{
    public static readonly SeaweedConfig Config = new SeaweedConfig
    {
        Name = "test-fsdp",
        Video = new VideoSize(5, 32, 32),
        Vae = new VaeConfig { LatentChannels = 4, Channels = [8, 8, 8, 8], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 3, DualStreamLayers = 1, Heads = 6, MlpMultiple = 16, TimestepFrequencyDim = 32 },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 8, Hidden = 16, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();

    /// <summary>
    /// A DiT whose values depend on <paramref name="seed"/> only (the linear layers' random initialisation comes
    /// from the shared global generator, so it is redrawn here), all moved off their initial values: the
    /// zero-initialised output layers would otherwise leave every block without a gradient in the first step.
    /// </summary>
    public static HybridStreamDiT Create(int seed)
    {
        var dit = new HybridStreamDiT(Config);
        using var generator = new Generator((ulong)seed);
        using var noGrad = no_grad();
        foreach (var linear in dit.modules().OfType<Linear>())
        {
            linear.weight!.copy_(randn(linear.weight.shape, generator: generator) / Math.Sqrt(linear.weight.shape[1]));
            linear.bias?.zero_();
        }
        foreach (var p in dit.parameters())
            p.add_(randn(p.shape, generator: generator) * 0.1);
        return dit;
    }

    /// <summary>A DiT with <paramref name="source"/>'s parameter values.</summary>
    public static HybridStreamDiT CopyOf(HybridStreamDiT source)
    {
        var copy = new HybridStreamDiT(Config);
        using var noGrad = no_grad();
        foreach (var (to, from) in copy.parameters().Zip(source.parameters())) to.copy_(from);
        return copy;
    }

    /// <summary>Every parameter's values, by name, in the module's order.</summary>
    public static IReadOnlyList<(string Name, float[] Values)> Parameters(nn.Module module) =>
        module.named_parameters().Select(p => (p.name, p.parameter.detach().reshape(-1).data<float>().ToArray())).ToList();

    public sealed record Batch(Tensor X0, Tensor Noise, Tensor Time, Tensor Text, Tensor TextMask)
    {
        public long Samples => X0.shape[0];
    }

    public static Batch GlobalBatch(int samples, int seed)
    {
        using var g = new Generator((ulong)seed);
        var textMask = ones(samples, 3, dtype: @bool);
        for (int i = 0; i < samples; i += 2) textMask[i, 2] = false;
        return new Batch(
            randn([samples, 4, 2, 4, 4], generator: g).DetachFromDisposeScope(),
            randn([samples, 4, 2, 4, 4], generator: g).DetachFromDisposeScope(),
            rand(samples, generator: g).DetachFromDisposeScope(),
            randn([samples, 3, 16], generator: g).DetachFromDisposeScope(),
            textMask.DetachFromDisposeScope());
    }

    /// <summary>
    /// The flow-matching loss of <paramref name="samples"/>: the mean over their elements (T2V: no condition
    /// frames), or this rank's share of it under <paramref name="execution"/>'s sequence shard.
    /// </summary>
    public static Tensor Loss(HybridStreamDiT dit, Batch batch, IReadOnlyList<long> samples, DitExecution? execution = null)
    {
        using var scope = NewDisposeScope();
        using var index = tensor(samples.ToArray());
        var x0 = batch.X0.index_select(0, index);
        var time = batch.Time.index_select(0, index);
        var zerosLike = zeros_like(x0);
        var input = new DitInput(x0, zerosLike, zerosLike[.., ..1], time,
            batch.Text.index_select(0, index), batch.TextMask.index_select(0, index));
        return Objectives.Dit(dit, x0, batch.Noise.index_select(0, index), time, input, execution).MoveToOuterDisposeScope();
    }
}
