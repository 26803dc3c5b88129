using static TorchSharp.torch;

namespace Seaweed.Cli.Tests;

/// <summary>The soundness check of <c>bench grain-overhead</c>: its two paths do the same work. In the CLI's collection,
/// so no command changes libtorch's thread count while the paths' threads start.</summary>
[Collection(Cli.Environment)]
public sealed class GrainOverheadPathsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("seaweed-grain-overhead-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task After_k_steps_the_plain_loop_and_the_rank_grains_have_the_same_losses_and_weights()
    {
        var options = new BenchGrainOverhead.Options(Ranks: 2, Steps: 2, Batch: 2, Resolution: 32);
        var setup = options.Setup(directory);
        await using var plain = await PlainRanks.StartAsync(setup);
        await using var grains = await GrainRanks.StartAsync(setup, Path.Combine(directory, "grains"));
        Assert.Equal(plain.Threads, grains.Threads);

        for (long step = 0; step < options.TotalSteps; step++)
        {
            var (p, g) = (await plain.Step(step), await grains.Step(step));
            Assert.Equal(2, p.Losses.Count);
            for (int r = 0; r < 2; r++)
            {
                Assert.True(double.IsFinite(p.Losses[r]) && p.Losses[r] > 0, $"step {step} rank {r}: loss {p.Losses[r]}");
                Assert.True(Math.Abs(p.Losses[r] - g.Losses[r]) <= 1e-6 * p.Losses[r], $"step {step} rank {r}: {p.Losses[r]} vs {g.Losses[r]}");
            }
        }

        var plainState = await plain.Snapshot(options.TotalSteps);
        var grainState = await grains.Snapshot(options.TotalSteps);
        using var scope = NewDisposeScope();
        for (int r = 0; r < 2; r++)
        {
            var (a, b) = (plainState[r].Tensors, grainState[r].Tensors);
            Assert.Equal(a.Keys.Order(), b.Keys.Order());
            // Both took k optimizer steps on gradients that reached every unit.
            Assert.Equal(options.TotalSteps, a["adam.step"].item<long>());
            Assert.Equal(options.TotalSteps, b["adam.step"].item<long>());
            Assert.All(a.Keys.Where(k => k.EndsWith(".exp_avg", StringComparison.Ordinal)), k => Assert.True(a[k].abs().max().item<float>() > 0, k));
            foreach (var (name, x) in a)
            {
                var (x64, y64) = (x.to(float64), b[name].to(float64));
                double difference = (x64 - y64).abs().max().item<double>(), scale = x64.abs().max().item<double>();
                Assert.True(difference <= 1e-6 * scale, $"rank {r} {name}: differs by {difference} at magnitude {scale}");
            }
        }
        foreach (var s in plainState.Concat(grainState)) s.Dispose();
    }
}
