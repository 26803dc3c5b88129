using Seaweed.Model;
using static TorchSharp.torch;

namespace Seaweed.Kernels.Tests;

/// <summary>The fused operators inside the hybrid-stream DiT: same training step as the reference, selected by dit.kernels.</summary>
public class DitFusedTests
{
    private static SeaweedConfig Config(string kernels, string attention = "full") => new SeaweedConfig
    {
        Name = "kernels-test",
        Video = new VideoSize(9, 32, 32),
        Vae = new VaeConfig { Channels = [8, 16, 16, 16], NormGroups = 4 },
        Dit = new DitConfig { Hidden = 48, Layers = 3, DualStreamLayers = 1, Heads = 2, MlpMultiple = 16, Attention = attention, Kernels = kernels },
        Text = new TextEncoderConfig { VocabSize = 96, UnknownBuckets = 8, MaxTokens = 8, Hidden = 32, Layers = 1, Heads = 2, MlpMultiple = 16 },
    }.Validate();

    /// <summary>Zero-initialised output layers perturbed, so every block's every path reaches the loss.</summary>
    private static HybridStreamDiT Model(SeaweedConfig c)
    {
        manual_seed(11);
        var dit = new HybridStreamDiT(c);
        using var _ = no_grad();
        foreach (var (name, p) in dit.named_parameters())
            if (name.Contains("modulation") || name.StartsWith("final_proj")) p.add_(randn_like(p) * 0.1);
        return dit;
    }

    private static DitInput Input(SeaweedConfig c, int batch)
    {
        manual_seed(12);
        var mask = ones(batch, c.Text.MaxTokens, dtype: @bool);
        mask[.., (c.Text.MaxTokens - 2)..] = false;
        long ch = c.Vae.LatentChannels;
        long[] latent = [batch, ch, 3, 4, 6];
        return new DitInput(randn(latent), zeros(latent), zeros(new long[] { batch, 1, 3, 4, 6 }),
            rand(batch), randn(batch, c.Text.MaxTokens, c.Text.Hidden), mask);
    }

    private static (float Loss, Dictionary<string, Tensor> Grads) Step(string kernels, string attention)
    {
        var c = Config(kernels, attention);
        var dit = Model(c);
        var input = Input(c, batch: 2);
        manual_seed(13);
        var x0 = randn_like(input.Latent);
        var loss = FlowMatching.Loss(dit.Forward(input), x0, input.Latent);
        loss.backward();
        return (loss.item<float>(), dit.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone()));
    }

    [Theory]
    [InlineData("full")]
    [InlineData("window")]
    public void FusedTrainingStepEqualsReference(string attention)
    {
        using var scope = NewDisposeScope();
        var (refLoss, refGrads) = Step("reference", attention);
        var (fusedLoss, fusedGrads) = Step("fused", attention);
        Assert.Equal(refLoss, fusedLoss, 1e-5 * Math.Abs(refLoss));
        Assert.Equal(refGrads.Keys, fusedGrads.Keys);
        foreach (var (name, g) in refGrads)
            Agreement.Close(g, fusedGrads[name], 1e-4, $"gradient of {name}");
    }

    [Fact]
    public void AutoFusesFloat32CpuTensorsAndFallsBackElsewhere()
    {
        using var scope = NewDisposeScope();
        Assert.NotSame(DitOps.Reference, DitOps.For(KernelMode.Auto, ones(2, 3)));
        Assert.Same(DitOps.Reference, DitOps.For(KernelMode.Auto, ones(2, 3, dtype: float64)));
        Assert.Same(DitOps.Reference, DitOps.For(KernelMode.Reference, ones(2, 3)));
        Assert.Equal("dit.kernels", Assert.Throws<ConfigException>(() => DitOps.For(KernelMode.Fused, ones(2, 3, dtype: float64))).Field);
    }

    [Fact]
    public void KernelsSettingIsValidatedAndOptionalInConfigJson()
    {
        var plain = Config("auto") with { Dit = Config("auto").Dit with { Kernels = null } };
        Assert.DoesNotContain("\"kernels\"", plain.ToJson());
        Assert.Equal(KernelMode.Auto, SeaweedConfig.FromJson(plain.ToJson()).Dit.KernelMode);
        Assert.Equal(KernelMode.Reference, SeaweedConfig.FromJson(Config("reference").ToJson()).Dit.KernelMode);
        var bad = plain.ToJson().Replace("\"attention\": \"full\"", "\"attention\": \"full\", \"kernels\": \"fast\"");
        var e = Assert.Throws<ConfigException>(() => SeaweedConfig.FromJson(bad));
        Assert.Equal("dit.kernels", e.Field);
        Assert.Contains("reference, fused, auto", e.Message);
    }
}
