using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

/// <summary>Training sanity: each network memorises one fixed batch (loss falls ≥ 10×) in a bounded number of steps.</summary>
public class OverfitTests(ITestOutputHelper output)
{
    private (double First, double Last) Train(nn.Module model, Func<Tensor> loss, int steps, double lr)
    {
        var optimizer = optim.AdamW(model.parameters(), lr: lr, weight_decay: 0);
        var schedule = optim.lr_scheduler.LinearLR(optimizer, start_factor: 1.0, end_factor: 0.05, total_iters: steps);
        double first = double.NaN, last = double.NaN;
        for (int i = 0; i < steps; i++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var l = loss();
            l.backward();
            optimizer.step();
            schedule.step();
            last = l.item<float>();
            if (i == 0) first = last;
            if (i % 20 == 0 || i == steps - 1) output.WriteLine($"step {i}: loss {last:F5}");
        }
        return (first, last);
    }

    [Fact]
    public void Tiny_dit_overfits_a_fixed_batch()
    {
        var c = Presets.Tiny;
        manual_seed(21);
        using var dit = new HybridStreamDiT(c);
        var input = DitTests.Input(c, 2, c.LatentGrid(c.Video));
        var x0 = input.Latent;
        var noise = randn_like(x0);
        var time = tensor(new[] { 0.3f, 0.7f });
        var (first, last) = Train(dit, () => Objectives.Dit(dit, x0, noise, time, input), steps: 60, lr: 2e-3);
        Assert.True(last * 10 <= first, $"DiT loss {first:F4} → {last:F4}");
    }

    [Fact]
    public void Tiny_vae_overfits_a_fixed_batch()
    {
        var c = Presets.Tiny.Vae;
        manual_seed(22);
        using var vae = new CausalVae(c);
        // A smooth moving blob: structured content, like the synthetic world.
        var t = arange(5).view(1, 1, 5, 1, 1).to(float32);
        var y = linspace(-1, 1, 32).view(1, 1, 1, 32, 1);
        var x = linspace(-1, 1, 32).view(1, 1, 1, 1, 32);
        var blob = exp(-((x - 0.1 * t).pow(2) + y.pow(2)) * 8);
        var video = cat([blob * 2 - 1, -blob, blob.expand(1, 1, 5, 32, 32) * 0], 1) * 0.9;
        var g = new Generator(5);
        var (first, last) = Train(vae, () => Objectives.Vae(vae, video, klWeight: 1e-6, g), steps: 150, lr: 2e-3);
        Assert.True(last * 10 <= first, $"VAE loss {first:F4} → {last:F4}");
    }
}
