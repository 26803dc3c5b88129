using static TorchSharp.torch;

namespace Seaweed.Model;

/// <summary>The training losses of the two networks, shared by training, tests and benchmarks.</summary>
public static class Objectives
{
    /// <summary>Flow-matching loss of the DiT on clean latents <paramref name="x0"/> (B, C, F, H, W).</summary>
    public static Tensor Dit(HybridStreamDiT dit, Tensor x0, Tensor noise, Tensor time, DitInput conditioning)
    {
        using var scope = NewDisposeScope();
        var xt = FlowMatching.Noised(x0, noise, time);
        var predicted = dit.Forward(conditioning with { Latent = xt, Time = time });
        return FlowMatching.Loss(predicted, x0, noise).MoveToOuterDisposeScope();
    }

    /// <summary>VAE loss: L1 reconstruction of a posterior sample plus a KL term toward N(0, I).</summary>
    public static Tensor Vae(CausalVae vae, Tensor video, double klWeight, Generator? generator = null)
    {
        using var scope = NewDisposeScope();
        var posterior = vae.Encode(video);
        var reconstruction = vae.Decode(posterior.Sample(generator));
        var loss = nn.functional.l1_loss(reconstruction, video) + klWeight * posterior.KL();
        return loss.MoveToOuterDisposeScope();
    }
}
