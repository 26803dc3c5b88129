using System.Diagnostics;
using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>Achieved throughput of one network's forward + backward pass.</summary>
/// <param name="FlopsPerStep">Counted matmul, convolution and attention FLOPs of the forward, ×3 for forward + backward.</param>
public sealed record StepThroughput(string Input, int Batch, long FlopsPerStep, double SecondsPerStep, double Gflops);

/// <summary>Measurements behind <c>seaweed bench model</c>.</summary>
public static class ModelBenchmark
{
    /// <summary>Best fp32 GFLOP/s of a square matmul over a few repeats: the machine's practical peak.</summary>
    public static double MatmulPeakGflops(int size = 2048, int repeats = 5)
    {
        using var scope = NewDisposeScope();
        manual_seed(0);
        var a = randn(size, size);
        var b = randn(size, size);
        double best = 0;
        for (int i = 0; i <= repeats; i++) // the first run warms up
        {
            var sw = Stopwatch.StartNew();
            using var c = a.matmul(b);
            c[0, 0].item<float>();
            if (i > 0) best = Math.Max(best, 2.0 * size * size * size / sw.Elapsed.TotalSeconds / 1e9);
        }
        return best;
    }

    public static StepThroughput Dit(SeaweedConfig config, int batch, int steps, IProgress<int>? progress = null)
    {
        manual_seed(1);
        using var dit = new HybridStreamDiT(config);
        var grid = config.LatentGrid(config.Video);
        long ch = config.Vae.LatentChannels;
        long[] latent = [batch, ch, grid.Frames, grid.Height, grid.Width];
        using var scope = NewDisposeScope();
        var input = new DitInput(randn(latent), zeros(latent), zeros([batch, 1, grid.Frames, grid.Height, grid.Width]),
            rand(batch), randn(batch, config.Text.MaxTokens, config.Text.Hidden), ones(batch, config.Text.MaxTokens, dtype: @bool));
        var noise = randn(latent);
        return Measure(dit, () => Objectives.Dit(dit, input.Latent, noise, input.Time, input),
            $"{config.Video} → latent {grid.Frames}×{grid.Height}×{grid.Width}", batch, steps, progress);
    }

    public static StepThroughput Vae(SeaweedConfig config, int batch, int steps, IProgress<int>? progress = null)
    {
        manual_seed(2);
        using var vae = new CausalVae(config.Vae);
        using var scope = NewDisposeScope();
        var video = rand([batch, 3, config.Video.Frames, config.Video.Height, config.Video.Width]) * 2 - 1;
        var g = new Generator(3);
        return Measure(vae, () => Objectives.Vae(vae, video, klWeight: 1e-6, g), config.Video.ToString(), batch, steps, progress);
    }

    private static StepThroughput Measure(nn.Module model, Func<Tensor> loss, string input, int batch, int steps, IProgress<int>? progress)
    {
        if (steps <= 0) throw new ConfigException("steps", $"{steps} must be positive");
        long forwardFlops;
        var hooks = FlopCounter.Instrument(model);
        using (var counter = FlopCounter.Start())
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            loss();
            forwardFlops = counter.Flops;
        }
        foreach (var hook in hooks) hook.Dispose();

        var seconds = new List<double>();
        for (int i = 0; i <= steps; i++) // the first step warms up
        {
            using var scope = NewDisposeScope();
            model.zero_grad();
            var sw = Stopwatch.StartNew();
            loss().backward();
            if (i > 0)
            {
                seconds.Add(sw.Elapsed.TotalSeconds);
                progress?.Report(i);
            }
        }
        seconds.Sort();
        double median = seconds[seconds.Count / 2];
        long flops = 3 * forwardFlops;
        return new StepThroughput(input, batch, flops, median, flops / median / 1e9);
    }
}
