using static TorchSharp.torch;

namespace Seaweed.Model.Tests;

public class FlopCounterTests
{
    [Fact]
    public void Counted_dit_forward_flops_equal_the_analytic_count()
    {
        var c = Presets.Tiny;
        var d = c.Dit;
        using var dit = new HybridStreamDiT(c);
        int batch = 2;
        var grid = c.LatentGrid(c.Video);
        long n = grid.Frames * grid.Height * grid.Width / (d.Patch[0] * d.Patch[1] * d.Patch[2]);
        long lt = c.Text.MaxTokens, l = lt + n, h = d.Hidden, pv = d.Patch[0] * d.Patch[1] * d.Patch[2];

        var hooks = FlopCounter.Instrument(dit);
        long counted;
        using (var counter = FlopCounter.Start())
        using (no_grad())
        {
            dit.Forward(DitTests.Input(c, batch, grid));
            counted = counter.Flops;
        }
        foreach (var hook in hooks) hook.Dispose();

        // Every token passes one stream's QKV, output and SwiGLU matmuls per layer; attention is QKᵀ and PV.
        long perLayer = 2 * l * (4 * h * h + 3 * h * d.MlpHidden) + 4 * l * l * h;
        long embed = 2 * n * c.DitInputChannels * pv * h + 2 * lt * c.Text.Hidden * h;
        long time = 2 * (d.TimestepFrequencyDim * h + h * h + h * 6 * h);
        long final = 2 * n * h * pv * c.Vae.LatentChannels;
        Assert.Equal(batch * (d.Layers * perLayer + embed + time + final), counted);
    }
}
