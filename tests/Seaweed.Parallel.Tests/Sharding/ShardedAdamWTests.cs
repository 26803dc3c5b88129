using Seaweed.Parallel.Sharding;
using TorchSharp;
using static TorchSharp.torch;

namespace Seaweed.Parallel.Tests.Sharding;

public class ShardedAdamWTests
{
    private static readonly AdamWOptions Options = new() { Beta1 = 0.8, Beta2 = 0.95, Eps = 1e-6, WeightDecay = 0.1 };
    private const double LearningRate = 0.05;

    /// <summary>Gradient of step <paramref name="step"/>: fixed by seed, different every step, some elements tiny.</summary>
    private static Tensor Gradient(int step, long n)
    {
        using var g = new Generator((ulong)(100 + step));
        return (randn(n, generator: g) * pow(10, randint(-4, 1, n, generator: g).to(float32))).DetachFromDisposeScope();
    }

    [Fact]
    public void Matches_torch_AdamW_on_one_tensor()
    {
        const int n = 37, steps = 6;
        using var initial = randn(n, generator: new Generator(7));
        using var reference = nn.Parameter(initial.clone());
        using var torchAdamW = optim.AdamW([reference], LearningRate, Options.Beta1, Options.Beta2, Options.Eps, Options.WeightDecay);
        using var shard = initial.clone();
        using var sharded = new ShardedAdamW(Options, [n]);
        for (int step = 0; step < steps; step++)
        {
            using var grad = Gradient(step, n);
            reference.grad = grad.clone();
            torchAdamW.step();
            sharded.Step([shard], [grad], LearningRate);
        }
        Assert.Equal(steps, sharded.StepCount);
        Assert.True(shard.allclose(reference.detach(), rtol: 1e-6, atol: 1e-7), $"max |diff| {(shard - reference).abs().max().item<float>()}");
        // The run moved the parameters well beyond the tolerance, so the comparison is not vacuous.
        Assert.True((shard - initial).abs().max().item<float>() > 0.1);
    }

    [Fact]
    public void Steps_on_shards_equal_the_step_on_the_whole_tensor()
    {
        const int n = 40;
        long[] lengths = [13, 0, 27];
        using var whole = randn(n, generator: new Generator(3));
        var pieces = whole.split(lengths).Select(p => p.clone()).ToArray();
        using var one = new ShardedAdamW(Options, [n]);
        using var three = new ShardedAdamW(Options, lengths);
        for (int step = 0; step < 3; step++)
        {
            using var grad = Gradient(step, n);
            one.Step([whole], [grad], LearningRate);
            three.Step(pieces, grad.split(lengths), LearningRate);
        }
        Assert.Equal(whole.data<float>().ToArray(), cat(pieces).data<float>().ToArray());
    }

    [Fact]
    public void Restored_state_continues_exactly_like_an_uninterrupted_run()
    {
        const int n = 21;
        using var uninterrupted = randn(n, generator: new Generator(5));
        using var resumed = uninterrupted.clone();
        using var a = new ShardedAdamW(Options, [n]);
        using var b = new ShardedAdamW(Options, [n]);
        for (int step = 0; step < 2; step++)
        {
            using var grad = Gradient(step, n);
            a.Step([uninterrupted], [grad], LearningRate);
            b.Step([resumed], [grad], LearningRate);
        }
        using var c = new ShardedAdamW(Options, [n]);
        c.Restore(b.StepCount, [b.ExpAvg[0].clone()], [b.ExpAvgSq[0].clone()]);
        using var last = Gradient(2, n);
        a.Step([uninterrupted], [last], LearningRate);
        c.Step([resumed], [last], LearningRate);
        Assert.Equal(3, c.StepCount);
        Assert.Equal(uninterrupted.data<float>().ToArray(), resumed.data<float>().ToArray());
    }

    [Theory]
    [InlineData("beta1")]
    [InlineData("beta2")]
    [InlineData("eps")]
    [InlineData("weightDecay")]
    public void Bad_options_name_the_field(string field)
    {
        var bad = field switch
        {
            "beta1" => Options with { Beta1 = 1 },
            "beta2" => Options with { Beta2 = -0.1 },
            "eps" => Options with { Eps = 0 },
            _ => Options with { WeightDecay = double.NaN },
        };
        var e = Assert.Throws<ArgumentException>(() => new ShardedAdamW(bad, [3]));
        Assert.Equal(field, e.ParamName);
    }

    [Fact]
    public void A_state_of_the_wrong_size_is_refused_without_changing_anything()
    {
        using var adam = new ShardedAdamW(Options, [4, 5]);
        using var four = ones(4);
        using var five = ones(5);
        using var six = ones(6);
        var e = Assert.Throws<ArgumentException>(() => adam.Restore(3, [four, five], [four, six]));
        Assert.Equal("expAvgSqShards", e.ParamName);
        Assert.Equal(0, adam.StepCount);
        Assert.Equal(0, adam.ExpAvg[0].abs().sum().item<float>());
    }
}
